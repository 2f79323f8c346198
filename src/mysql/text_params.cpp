// Client-side parameters for the text protocol: every value becomes an escaped literal.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

#include <fibersql/sql/errors.hpp>

#include "detail/values.hpp"

namespace fibersql::mysql::detail {
namespace {

using namespace std::chrono;

// A value can leave its literal only where client and server lex it differently: in the
// charset (a gbk/big5/sjis lead byte swallowing an escaping backslash, when SET NAMES went
// unseen) or in sql_mode (NO_BACKSLASH_ESCAPES). So text that needs no escaping at all is
// sent as it is, and anything else as hex digits, which read the same in every charset and
// mode: no escaping, no trust in what the client believes about the session.
bool is_plain(std::string_view text) {
  for (const char ch : text) {
    const auto b = static_cast<unsigned char>(ch);
    if (b < 0x20 || b > 0x7e || ch == '\'' || ch == '"' || ch == '\\' || ch == '`') return false;
  }
  return true;
}

void append_hex(std::string& out, std::string_view text) {
  static constexpr char digits[] = "0123456789ABCDEF";
  const std::size_t at = out.size();
  out.resize(at + 2 * text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto b = static_cast<unsigned char>(text[i]);
    out[at + 2 * i] = digits[b >> 4];
    out[at + 2 * i + 1] = digits[b & 15];
  }
}

// `introducer` names the charset the bytes are in: the connection's for text, binary for
// bytes. An introduced hex literal is a string (never a number) in that charset.
void append_safe_string(std::string& out, std::string_view text, std::string_view introducer) {
  if (is_plain(text)) {
    if (introducer == "binary") out += "_binary";
    out += '\'';
    out += text;
    out += '\'';
    return;
  }
  out += '_';
  out += introducer;
  out += " X'";
  append_hex(out, text);
  out += '\'';
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
          append_safe_string(out, x, mysql_character_set_name(m));
        } else if constexpr (std::is_same_v<T, bytes>) {
          // The introducer keeps the bytes out of any charset conversion.
          append_safe_string(out, x.data, "binary");
        } else if constexpr (std::is_same_v<T, date>) {
          check_mysql_range(v);  // as prepared statements do (to_mysql_time)
          out += '\'';
          append_date(out, x);
          out += '\'';
        } else if constexpr (std::is_same_v<T, datetime>) {
          check_mysql_range(v);
          const auto day_part = floor<days>(x);
          const hh_mm_ss<microseconds> hms{x - day_part};
          out += '\'';
          append_date(out, year_month_day{day_part});
          out += ' ';
          append_clock(out, hms.hours().count(), hms.minutes().count(), hms.seconds().count(),
                       hms.subseconds().count());
          out += '\'';
        } else if constexpr (std::is_same_v<T, time_of_day>) {
          check_mysql_range(v);
          const hh_mm_ss<microseconds> hms{x};
          out += hms.is_negative() ? "'-" : "'";
          append_clock(out, hms.hours().count(), hms.minutes().count(), hms.seconds().count(),
                       hms.subseconds().count());
          out += '\'';
        }
      },
      v);
}

std::string bind_text(std::string_view sql, std::span<const std::size_t> placeholders, std::span<const value> params,
                      MYSQL* m) {
  if (placeholders.size() != params.size()) {
    throw programming_error(0, "07001",
                            std::to_string(params.size()) + " parameters given for " +
                                std::to_string(placeholders.size()) + " '?' placeholders");
  }
  std::string out;
  out.reserve(sql.size() + params.size() * 16);
  std::size_t copied = 0;
  for (std::size_t k = 0; k < placeholders.size(); ++k) {
    out.append(sql.substr(copied, placeholders[k] - copied));
    append_literal(out, params[k], m);
    copied = placeholders[k] + 1;
  }
  out.append(sql.substr(copied));
  return out;
}

}  // namespace fibersql::mysql::detail
