#include "detail/values.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

#include <fibersql/sql/errors.hpp>

namespace fibersql::mysql::detail {
namespace {

using namespace std::chrono;

constexpr unsigned binary_charset = 63;

// Parses the next unsigned decimal run at `p`; -1 when there is none.
long long take_number(const char*& p, const char* end) {
  long long n = 0;
  auto [next, ec] = std::from_chars(p, end, n);
  if (ec != std::errc{}) return -1;
  p = next;
  return n;
}

// Fractional seconds ".ffffff" (any number of digits up to 6) as microseconds.
long long take_micros(const char*& p, const char* end) {
  if (p == end || *p != '.') return 0;
  ++p;
  long long us = 0;
  int digits = 0;
  for (; p != end && *p >= '0' && *p <= '9'; ++p) {
    if (digits < 6) us = us * 10 + (*p - '0'), ++digits;
  }
  for (; digits < 6; ++digits) us *= 10;
  return us;
}

// MySQL's TIME range is -838:59:59.999999..838:59:59.999999; DATE/DATETIME years are
// 0000-9999. A hostile (or broken) server can send anything, and the arithmetic below must
// never overflow: values outside these bounds are refused.
constexpr long long max_time_hours = 838;
constexpr long long max_year = 9999;

[[noreturn]] void out_of_range(const MYSQL_FIELD& field, std::string_view shown, const char* range) {
  constexpr std::size_t max_shown = 64;
  throw data_error(0, "22007",
                   "column '" + std::string(field.name, field.name_length) + "': the server sent '" +
                       std::string(shown.substr(0, max_shown)) + "', outside " + range);
}

value parse_time(const MYSQL_FIELD& field, std::string_view text) {
  const char* p = text.data();
  const char* end = p + text.size();
  const bool negative = p != end && *p == '-';
  if (negative) ++p;
  const long long h = take_number(p, end);
  if (h < 0 || p == end || *p++ != ':') return std::string(text);
  const long long m = take_number(p, end);
  if (m < 0 || p == end || *p++ != ':') return std::string(text);
  const long long s = take_number(p, end);
  if (s < 0) return std::string(text);
  const long long us = take_micros(p, end);
  if (h > max_time_hours || m > 59 || s > 59) out_of_range(field, text, "TIME's -838:59:59..838:59:59");
  const microseconds d = hours(h) + minutes(m) + seconds(s) + microseconds(us);
  return time_of_day(negative ? -d : d);
}

value parse_date_time(const MYSQL_FIELD& field, std::string_view text) {
  const enum_field_types type = field.type;
  if (type == MYSQL_TYPE_TIME) return parse_time(field, text);
  const char* p = text.data();
  const char* end = p + text.size();
  const long long y = take_number(p, end);
  const long long mo = (p != end && *p++ == '-') ? take_number(p, end) : -1;
  const long long d = (p != end && *p++ == '-') ? take_number(p, end) : -1;
  if (y < 0 || mo < 0 || d < 0) return std::string(text);
  if (y > max_year || mo > 12 || d > 31) out_of_range(field, text, "the years 0000-9999");
  const year_month_day ymd{year(static_cast<int>(y)), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
  long long h = 0, mi = 0, s = 0, us = 0;
  if (p != end && *p == ' ') {
    ++p;
    h = take_number(p, end);
    mi = (p != end && *p++ == ':') ? take_number(p, end) : -1;
    s = (p != end && *p++ == ':') ? take_number(p, end) : -1;
    us = take_micros(p, end);
    if (h < 0 || mi < 0 || s < 0) return std::string(text);
    if (h > 23 || mi > 59 || s > 59) out_of_range(field, text, "a day's 00:00:00..23:59:59");
  }
  // Zero and partial dates ('0000-00-00') have no calendar value: keep the server's text.
  if (!ymd.ok()) return std::string(text);
  if (type == MYSQL_TYPE_DATE || type == MYSQL_TYPE_NEWDATE) return ymd;
  return datetime(sys_days(ymd) + hours(h) + minutes(mi) + seconds(s) + microseconds(us));
}

template <class T>
value parse_number(std::string_view text) {
  T n{};
  auto [next, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || next != text.data() + text.size()) return std::string(text);
  return n;
}

}  // namespace

bool is_binary(const MYSQL_FIELD& field) noexcept {
  return field.charsetnr == binary_charset;
}

value from_text(const MYSQL_FIELD& field, const char* data, unsigned long length) {
  const std::string_view text(data, length);
  switch (field.type) {
    case MYSQL_TYPE_NULL:
      return null;
    case MYSQL_TYPE_TINY:
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_YEAR:
      if (field.flags & UNSIGNED_FLAG) return parse_number<std::uint64_t>(text);
      return parse_number<std::int64_t>(text);
    case MYSQL_TYPE_FLOAT:
    case MYSQL_TYPE_DOUBLE:
      return parse_number<double>(text);
    case MYSQL_TYPE_BIT: {
      std::uint64_t bits = 0;  // big-endian bytes on the wire
      for (unsigned char c : text) bits = (bits << 8) | c;
      return bits;
    }
    case MYSQL_TYPE_DATE:
    case MYSQL_TYPE_NEWDATE:
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_TIMESTAMP:
    case MYSQL_TYPE_TIME:
      return parse_date_time(field, text);
    case MYSQL_TYPE_DECIMAL:
    case MYSQL_TYPE_NEWDECIMAL:
      return std::string(text);  // exact: no double round-off
    case MYSQL_TYPE_GEOMETRY:
      return bytes{std::string(text)};
    default:
      if (is_binary(field)) return bytes{std::string(text)};
      return std::string(text);
  }
}

namespace {

// A binary cell as the text protocol would have sent it, for the error message and for zero
// or partial dates, which keep their time part and the column's fraction digits.
std::string mysql_time_text(const MYSQL_TIME& t, const MYSQL_FIELD& field) {
  char buf[96];
  if (field.type == MYSQL_TYPE_TIME) {
    std::snprintf(buf, sizeof buf, "%s%llu:%02u:%02u", t.neg ? "-" : "",
                  static_cast<unsigned long long>(t.day) * 24 + t.hour, t.minute, t.second);
  } else if (field.type == MYSQL_TYPE_DATE || field.type == MYSQL_TYPE_NEWDATE) {
    std::snprintf(buf, sizeof buf, "%04u-%02u-%02u", t.year, t.month, t.day);
    return buf;
  } else {
    std::snprintf(buf, sizeof buf, "%04u-%02u-%02u %02u:%02u:%02u", t.year, t.month, t.day, t.hour, t.minute, t.second);
  }
  std::string out = buf;
  if (field.decimals > 0 && field.decimals <= 6) {
    std::snprintf(buf, sizeof buf, ".%06lu", t.second_part % 1000000);
    out.append(buf, 1 + field.decimals);
  }
  return out;
}

}  // namespace

value from_mysql_time(const MYSQL_TIME& t, const MYSQL_FIELD& field) {
  const bool fields_in_range = t.minute <= 59 && t.second <= 59 && t.second_part <= 999999;
  if (field.type == MYSQL_TYPE_TIME) {
    // Connector/C folds the wire's days into `hour` (and zeroes `day`); each part is
    // checked before the sum so that no product can overflow.
    if (!fields_in_range || t.hour > max_time_hours || t.day > max_time_hours / 24 ||
        t.day * 24ULL + t.hour > static_cast<unsigned long long>(max_time_hours)) {
      out_of_range(field, mysql_time_text(t, field), "TIME's -838:59:59..838:59:59");
    }
    const microseconds d =
        hours(t.day * 24 + t.hour) + minutes(t.minute) + seconds(t.second) + microseconds(t.second_part);
    return time_of_day(t.neg ? -d : d);
  }
  if (t.year > max_year || t.month > 12 || t.day > 31) {
    out_of_range(field, mysql_time_text(t, field), "the years 0000-9999");
  }
  if (!fields_in_range || t.hour > 23) out_of_range(field, mysql_time_text(t, field), "a day's 00:00:00..23:59:59");
  const year_month_day ymd{year(static_cast<int>(t.year)), month(t.month), day(t.day)};
  // Zero and partial dates: the text the text protocol would have given, time part included.
  if (!ymd.ok()) return mysql_time_text(t, field);
  if (field.type == MYSQL_TYPE_DATE || field.type == MYSQL_TYPE_NEWDATE) return ymd;
  return datetime(sys_days(ymd) + hours(t.hour) + minutes(t.minute) + seconds(t.second) + microseconds(t.second_part));
}

void check_mysql_range(const value& v) {
  const auto check_year = [](const year_month_day& ymd, const char* what) {
    const int y = static_cast<int>(ymd.year());
    if (y < 0 || y > max_year) {
      throw data_error(0, "22007",
                       std::string(what) + " with year " + std::to_string(y) + " is outside MySQL's years 0000-9999");
    }
    if (!ymd.ok()) throw data_error(0, "22007", std::string(what) + " is not a calendar date");
  };
  if (const auto* d = std::get_if<date>(&v)) {
    check_year(*d, "date");
  } else if (const auto* dt = std::get_if<datetime>(&v)) {
    check_year(year_month_day{floor<days>(*dt)}, "datetime");
  } else if (const auto* tod = std::get_if<time_of_day>(&v)) {
    constexpr microseconds limit = hours(max_time_hours) + minutes(59) + seconds(59) + microseconds(999999);
    if (*tod > limit || *tod < -limit) {
      throw data_error(0, "22007",
                       "time of " + std::to_string(floor<hours>(*tod).count()) +
                           " hours is outside MySQL's TIME range -838:59:59..838:59:59");
    }
  }
}

MYSQL_TIME to_mysql_time(const value& v) {
  check_mysql_range(v);  // the same refusal as a text-protocol literal (append_literal)
  MYSQL_TIME t{};
  if (const auto* d = std::get_if<date>(&v)) {
    t.year = static_cast<unsigned>(static_cast<int>(d->year()));
    t.month = static_cast<unsigned>(d->month());
    t.day = static_cast<unsigned>(d->day());
    t.time_type = MYSQL_TIMESTAMP_DATE;
  } else if (const auto* dt = std::get_if<datetime>(&v)) {
    const auto days_part = floor<days>(*dt);
    const year_month_day ymd{days_part};
    const hh_mm_ss<microseconds> hms{*dt - days_part};
    t.year = static_cast<unsigned>(static_cast<int>(ymd.year()));
    t.month = static_cast<unsigned>(ymd.month());
    t.day = static_cast<unsigned>(ymd.day());
    t.hour = static_cast<unsigned>(hms.hours().count());
    t.minute = static_cast<unsigned>(hms.minutes().count());
    t.second = static_cast<unsigned>(hms.seconds().count());
    t.second_part = static_cast<unsigned long>(hms.subseconds().count());
    t.time_type = MYSQL_TIMESTAMP_DATETIME;
  } else if (const auto* tod = std::get_if<time_of_day>(&v)) {
    const hh_mm_ss<microseconds> hms{*tod};
    t.neg = hms.is_negative();
    // The binary protocol sends TIME as days + hour-of-day (one byte), so split.
    const auto h = static_cast<unsigned>(hms.hours().count());
    t.day = h / 24;
    t.hour = h % 24;
    t.minute = static_cast<unsigned>(hms.minutes().count());
    t.second = static_cast<unsigned>(hms.seconds().count());
    t.second_part = static_cast<unsigned long>(hms.subseconds().count());
    t.time_type = MYSQL_TIMESTAMP_TIME;
  }
  return t;
}

}  // namespace fibersql::mysql::detail
