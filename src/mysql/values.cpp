#include "values.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

#include <fibersql/sql/errors.hpp>

namespace fibersql::detail {
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

value parse_date_time(std::string_view text, enum_field_types type) {
  const char* p = text.data();
  const char* end = p + text.size();
  if (type == MYSQL_TYPE_TIME) {
    const bool negative = p != end && *p == '-';
    if (negative) ++p;
    const long long h = take_number(p, end);
    if (h < 0 || p == end || *p++ != ':') return std::string(text);
    const long long m = take_number(p, end);
    if (m < 0 || p == end || *p++ != ':') return std::string(text);
    const long long s = take_number(p, end);
    const long long us = take_micros(p, end);
    const microseconds d = hours(h) + minutes(m) + seconds(s) + microseconds(us);
    return time_of_day(negative ? -d : d);
  }
  const long long y = take_number(p, end);
  const long long mo = (p != end && *p++ == '-') ? take_number(p, end) : -1;
  const long long d = (p != end && *p++ == '-') ? take_number(p, end) : -1;
  const year_month_day ymd{year(static_cast<int>(y)), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
  // Zero and partial dates ('0000-00-00') have no calendar value: keep the server's text.
  if (y < 0 || mo < 0 || d < 0 || !ymd.ok()) return std::string(text);
  if (type == MYSQL_TYPE_DATE || type == MYSQL_TYPE_NEWDATE) return ymd;
  long long h = 0, mi = 0, s = 0, us = 0;
  if (p != end && *p == ' ') {
    ++p;
    h = take_number(p, end);
    mi = (p != end && *p++ == ':') ? take_number(p, end) : -1;
    s = (p != end && *p++ == ':') ? take_number(p, end) : -1;
    us = take_micros(p, end);
    if (h < 0 || mi < 0 || s < 0) return std::string(text);
  }
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
      return parse_date_time(text, field.type);
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

value from_mysql_time(const MYSQL_TIME& t, enum_field_types type) {
  if (type == MYSQL_TYPE_TIME) {
    const microseconds d =
        hours(t.day * 24 + t.hour) + minutes(t.minute) + seconds(t.second) + microseconds(t.second_part);
    return time_of_day(t.neg ? -d : d);
  }
  const year_month_day ymd{year(static_cast<int>(t.year)), month(t.month), day(t.day)};
  if (!ymd.ok()) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04u-%02u-%02u", t.year, t.month, t.day);
    return std::string(buf);
  }
  if (type == MYSQL_TYPE_DATE || type == MYSQL_TYPE_NEWDATE) return ymd;
  return datetime(sys_days(ymd) + hours(t.hour) + minutes(t.minute) + seconds(t.second) + microseconds(t.second_part));
}

MYSQL_TIME to_mysql_time(const value& v) {
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

}  // namespace fibersql::detail
