#pragma once
// Conversions between fibersql::value and MySQL's text and binary wire forms.
#include <span>
#include <string>
#include <string_view>

#include <mysql.h>

#include <fibersql/sql/value.hpp>

namespace fibersql::mysql::detail {

// from_text: a text-protocol cell (never NULL here) as the value its column type calls for.
value from_text(const MYSQL_FIELD& field, const char* data, unsigned long length);
// from_text and from_mysql_time decode alike: a zero or partial date stays the text the
// text protocol sends (time part and fraction digits included); a value outside MySQL's
// ranges (TIME beyond 838 h, years past 9999, minute 60...), which only a broken or hostile
// server sends, throws data_error naming the column.
// from_mysql_time: a binary-protocol DATE/DATETIME/TIMESTAMP/TIME cell of `field`.
value from_mysql_time(const MYSQL_TIME& t, const MYSQL_FIELD& field);
// check_mysql_range: refuses a date, datetime or time_of_day parameter MySQL cannot store
// (year < 0 or > 9999, not a calendar date, TIME beyond +-838:59:59.999999), for both
// protocols alike. Throws: data_error.
void check_mysql_range(const value& v);
// to_mysql_time: a date, datetime or time_of_day value for a bound parameter.
// Throws: data_error (check_mysql_range).
MYSQL_TIME to_mysql_time(const value& v);
// True when the column holds binary data (binary collation) rather than text.
bool is_binary(const MYSQL_FIELD& field) noexcept;

// append_literal: the value as a SQL literal. Strings and bytes that need no escaping go
// as they are ('abc'); any other goes as an introduced hex literal (_utf8mb4 X'...',
// _binary X'...'), which the server reads the same whatever its charset and sql_mode.
// Throws: data_error (NaN/inf, dates and times MySQL cannot store).
void append_literal(std::string& out, const value& v, MYSQL* m);
// bind_text: `sql` with the '?' at each offset in `placeholders` (scan_placeholders)
// replaced by the next parameter's literal. Throws: programming_error when the counts differ.
std::string bind_text(std::string_view sql, std::span<const std::size_t> placeholders, std::span<const value> params,
                      MYSQL* m);

}  // namespace fibersql::mysql::detail
