// Hand-written formatting and parsing: GCC 12's library has no std::format or chrono::parse,
// and both backends need exactly one spelling, so a small strict scanner is clearer anyway.
#include <fibersql/sql/value_text.hpp>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <type_traits>

#include <fibersql/sql/errors.hpp>

namespace fibersql {
namespace {

using namespace std::chrono;

// A cursor over text that reads fixed fields and fails softly (every read returns false).
struct scanner {
  std::string_view text;
  std::size_t pos = 0;

  bool done() const noexcept { return pos == text.size(); }
  bool peek(char c) const noexcept { return pos < text.size() && text[pos] == c; }
  bool accept(char c) noexcept {
    if (!peek(c)) return false;
    ++pos;
    return true;
  }
  // Reads between min and max decimal digits into out.
  bool digits(std::size_t min, std::size_t max, long long& out, std::size_t* count = nullptr) {
    std::size_t n = 0;
    out = 0;
    while (n < max && pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      out = out * 10 + (text[pos] - '0');
      ++pos;
      ++n;
    }
    if (count) *count = n;
    return n >= min;
  }
};

bool scan_date(scanner& s, date& out) {
  long long y, m, d;
  if (!s.digits(4, 4, y) || !s.accept('-') || !s.digits(2, 2, m) || !s.accept('-') || !s.digits(2, 2, d)) return false;
  out = year{static_cast<int>(y)} / month{static_cast<unsigned>(m)} / day{static_cast<unsigned>(d)};
  return out.ok();
}

// HH:MM[:SS[.ffffff]] with hour digits between min_h and max_h; returns microseconds.
bool scan_clock(scanner& s, std::size_t min_h, std::size_t max_h, long long max_hour, microseconds& out) {
  long long h, m, sec = 0, frac = 0;
  if (!s.digits(min_h, max_h, h) || h > max_hour || !s.accept(':') || !s.digits(2, 2, m) || m > 59) return false;
  if (s.accept(':')) {
    if (!s.digits(2, 2, sec) || sec > 59) return false;
    if (s.accept('.')) {
      std::size_t n = 0;
      if (!s.digits(1, 6, frac, &n)) return false;
      for (; n < 6; ++n) frac *= 10;
    }
  }
  out = hours{h} + minutes{m} + seconds{sec} + microseconds{frac};
  return true;
}

void require_four_digit_year(date d, const char* what) {
  if (!d.ok() || static_cast<int>(d.year()) < 0 || static_cast<int>(d.year()) > 9999) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s with year %d month %u day %u has no ISO-8601 text form", what,
                  static_cast<int>(d.year()), static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
    throw data_error(0, "22007", buf);
  }
}

std::string two_digit_clock(long long h, long long m, long long s, long long us) {
  char buf[48];
  if (us != 0)
    std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld.%06lld", h, m, s, us);
  else
    std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", h, m, s);
  return buf;
}

// Quotes text for an error message: cut at 60 bytes, non-printable bytes as \xNN.
std::string quoted(std::string_view text) {
  constexpr std::size_t limit = 60;
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size() && i < limit; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
  if (text.size() > limit) out += "... (" + std::to_string(text.size()) + " bytes)";
  return out;
}

}  // namespace

std::string format_date(date d) {
  require_four_digit_year(d, "date");
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  return buf;
}

std::string format_datetime(datetime t) {
  const auto day_start = floor<days>(t);
  const date d{day_start};
  require_four_digit_year(d, "datetime");
  const auto us = (t - day_start).count();  // 0 <= us < 86400e6 since floor rounds down
  return format_date(d) + ' ' +
         two_digit_clock(us / 3600'000'000, us / 60'000'000 % 60, us / 1'000'000 % 60, us % 1'000'000);
}

std::string format_time(time_of_day t) {
  const bool negative = t.count() < 0;
  // Magnitude as unsigned so that the most negative duration does not overflow on negation.
  const unsigned long long mag = negative ? 0ULL - static_cast<unsigned long long>(t.count()) : t.count();
  const auto us = static_cast<long long>(mag % 1'000'000);
  const auto total_s = mag / 1'000'000;
  std::string out = negative ? "-" : "";
  return out + two_digit_clock(static_cast<long long>(total_s / 3600), static_cast<long long>(total_s / 60 % 60),
                               static_cast<long long>(total_s % 60), us);
}

std::optional<date> parse_date(std::string_view text) noexcept {
  scanner s{text};
  date d;
  if (!scan_date(s, d) || !s.done()) return std::nullopt;
  return d;
}

std::optional<datetime> parse_datetime(std::string_view text) noexcept {
  scanner s{text};
  date d;
  if (!scan_date(s, d)) return std::nullopt;
  microseconds clock{0};
  if (!s.done()) {
    if (!s.accept(' ') && !s.accept('T')) return std::nullopt;
    if (!scan_clock(s, 2, 2, 23, clock) || !s.done()) return std::nullopt;
  }
  return datetime{sys_days{d}.time_since_epoch() + clock};
}

std::optional<time_of_day> parse_time(std::string_view text) noexcept {
  scanner s{text};
  const bool negative = s.accept('-');
  microseconds clock{0};
  // Up to 9 hour digits keeps the result far inside int64 microseconds.
  if (!scan_clock(s, 1, 9, 999'999'999, clock) || !s.done()) return std::nullopt;
  return negative ? -clock : clock;
}

std::string describe(const value& v) {
  const std::string type = type_name(v);
  return std::visit(
      [&](const auto& x) -> std::string {
        using t = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<t, std::monostate>)
          return "null";
        else if constexpr (std::is_same_v<t, bool>)
          return type + (x ? " true" : " false");
        else if constexpr (std::is_same_v<t, double>) {
          char buf[40];
          std::snprintf(buf, sizeof buf, " %.17g", x);
          return type + buf;
        } else if constexpr (std::is_integral_v<t>)
          return type + ' ' + std::to_string(x);
        else if constexpr (std::is_same_v<t, std::string>)
          return type + ' ' + quoted(x);
        else if constexpr (std::is_same_v<t, bytes>)
          return type + " (" + std::to_string(x.data.size()) + " bytes)";
        else if constexpr (std::is_same_v<t, time_of_day>)
          return type + ' ' + format_time(x);
        else {
          // Dates outside the four-digit range have no text form; say so instead of throwing.
          try {
            if constexpr (std::is_same_v<t, date>)
              return type + ' ' + format_date(x);
            else
              return type + ' ' + format_datetime(x);
          } catch (const data_error&) {
            return type + " (outside year 0000..9999)";
          }
        }
      },
      v);
}

}  // namespace fibersql
