#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Text forms of values: the ISO-8601 spellings both backends use for dates and times on the
// wire (MySQL's text protocol) and at rest (SQLite, which has no date type), and a short
// description of any value for error messages.
#include <optional>
#include <string>
#include <string_view>

#include <fibersql/sql/value.hpp>

namespace fibersql {

// format_date: "YYYY-MM-DD". Throws: data_error when the date is invalid or the year is
// outside 0000..9999 (no four-digit spelling sorts correctly beyond it).
std::string format_date(date d);
// format_datetime: "YYYY-MM-DD HH:MM:SS", plus ".ffffff" when there are microseconds. The
// space (not 'T') matches SQLite's datetime() and MySQL, so stored text compares and sorts
// with theirs. Throws: data_error as format_date.
std::string format_datetime(datetime t);
// format_time: "[-]HH:MM:SS[.ffffff]"; hours may exceed 24 (MySQL TIME range).
std::string format_time(time_of_day t);

// parse_date: "YYYY-MM-DD" -> date; nullopt unless the whole text is a valid date.
std::optional<date> parse_date(std::string_view text) noexcept;
// parse_datetime: "YYYY-MM-DD[ T]HH:MM[:SS[.f{1,6}]]" or a bare date (midnight) -> datetime;
// nullopt unless the whole text parses.
std::optional<datetime> parse_datetime(std::string_view text) noexcept;
// parse_time: "[-]H+:MM[:SS[.f{1,6}]]" -> time_of_day; nullopt unless the whole text parses.
std::optional<time_of_day> parse_time(std::string_view text) noexcept;

// describe: the value's type and a short rendering, e.g. `int64 300`, `string "ab\x00c"`,
// `bytes (16777216 bytes)`, `null`. Long text is cut; control bytes are escaped.
std::string describe(const value& v);

}  // namespace fibersql
FIBERSQL_PUBLIC_END
