// Client-side parameters for the text protocol: every value becomes an escaped literal.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

#include <fibersql/sql/errors.hpp>

#include "values.hpp"

namespace fibersql::detail {
namespace {

using namespace std::chrono;

void append_escaped(std::string& out, std::string_view text, MYSQL* m) {
  // mysql_real_escape_string honours the connection charset, so a multibyte sequence can
  // never smuggle a quote past it (the classic GBK attack on addslashes).
  const std::size_t at = out.size();
  out.resize(at + 2 * text.size() + 3);
  out[at] = '\'';
  const unsigned long n = mysql_real_escape_string(m, out.data() + at + 1, text.data(), text.size());
  out[at + 1 + n] = '\'';
  out.resize(at + n + 2);
}

template <class T>
void append_number(std::string& out, T n) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, end);
}

void append_clock(std::string& out, long long h, long long m, long long s, long long us) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld.%06lld", h, m, s, us);
  out += buf;
}

void append_date(std::string& out, const year_month_day& d) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  out += buf;
}

}  // namespace

void append_literal(std::string& out, const value& v, MYSQL* m) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          out += "NULL";
        } else if constexpr (std::is_same_v<T, bool>) {
          out += x ? "TRUE" : "FALSE";
        } else if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, std::uint64_t>) {
          append_number(out, x);
        } else if constexpr (std::is_same_v<T, double>) {
          if (!std::isfinite(x)) throw data_error(0, "22000", "MySQL cannot store NaN or infinity");
          char buf[64];
          auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
          const std::string_view text(buf, static_cast<std::size_t>(end - buf));
          out += text;
          // An exponent makes the literal a DOUBLE rather than an exact DECIMAL.
          if (text.find('e') == std::string_view::npos) out += "e0";
        } else if constexpr (std::is_same_v<T, std::string>) {
          append_escaped(out, x, m);
        } else if constexpr (std::is_same_v<T, bytes>) {
          // The introducer keeps the bytes out of any charset conversion; the escaping is
          // charset-aware like the server's lexer, so both agree where the literal ends.
          out += "_binary";
          append_escaped(out, x.data, m);
        } else if constexpr (std::is_same_v<T, date>) {
          out += '\'';
          append_date(out, x);
          out += '\'';
        } else if constexpr (std::is_same_v<T, datetime>) {
          const auto day_part = floor<days>(x);
          const hh_mm_ss<microseconds> hms{x - day_part};
          out += '\'';
          append_date(out, year_month_day{day_part});
          out += ' ';
          append_clock(out, hms.hours().count(), hms.minutes().count(), hms.seconds().count(),
                       hms.subseconds().count());
          out += '\'';
        } else if constexpr (std::is_same_v<T, time_of_day>) {
          const hh_mm_ss<microseconds> hms{x};
          out += hms.is_negative() ? "'-" : "'";
          append_clock(out, hms.hours().count(), hms.minutes().count(), hms.seconds().count(),
                       hms.subseconds().count());
          out += '\'';
        }
      },
      v);
}

std::string bind_text(std::string_view sql, std::span<const value> params, MYSQL* m) {
  std::string out;
  out.reserve(sql.size() + params.size() * 16);
  std::size_t used = 0;
  std::size_t i = 0;
  auto copy_until = [&](std::size_t stop) {
    out.append(sql.substr(i, stop - i));
    i = stop;
  };
  while (i < sql.size()) {
    const char c = sql[i];
    const char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
    if (c == '\'' || c == '"' || c == '`') {
      // A quoted literal or identifier: '?' inside is text. Backslash escapes and doubled
      // quotes both stay inside (backticks have no backslash escape).
      std::size_t j = i + 1;
      while (j < sql.size()) {
        if (sql[j] == '\\' && c != '`') {
          j += 2;
        } else if (sql[j] == c) {
          if (j + 1 < sql.size() && sql[j + 1] == c) {
            j += 2;
          } else {
            break;
          }
        } else {
          ++j;
        }
      }
      copy_until(std::min(j + 1, sql.size()));
    } else if (c == '#' || (c == '-' && next == '-' &&
                            (i + 2 >= sql.size() || std::isspace(static_cast<unsigned char>(sql[i + 2]))))) {
      const std::size_t eol = sql.find('\n', i);
      copy_until(eol == std::string_view::npos ? sql.size() : eol);
    } else if (c == '/' && next == '*') {
      const std::size_t close = sql.find("*/", i + 2);
      copy_until(close == std::string_view::npos ? sql.size() : close + 2);
    } else if (c == '?') {
      if (used == params.size()) {
        throw programming_error(
            0, "07001", "more '?' placeholders than the " + std::to_string(params.size()) + " parameters given");
      }
      append_literal(out, params[used++], m);
      ++i;
    } else {
      out += c;
      ++i;
    }
  }
  if (used != params.size()) {
    throw programming_error(
        0, "07001",
        std::to_string(params.size()) + " parameters given for " + std::to_string(used) + " '?' placeholders");
  }
  return out;
}

}  // namespace fibersql::detail
