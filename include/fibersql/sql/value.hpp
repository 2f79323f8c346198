#pragma once
// One SQL value as it crosses the client boundary, in either direction.
#include <chrono>
#include <cstdint>
#include <string>
#include <variant>

namespace fibersql {

// Binary data (BLOB, VARBINARY); kept apart from text so it is never charset-converted.
struct bytes {
  std::string data;
  friend bool operator==(const bytes&, const bytes&) = default;
};

using date = std::chrono::year_month_day;
// DATETIME/TIMESTAMP, microsecond resolution, no time zone attached (the server's wall clock).
using datetime = std::chrono::sys_time<std::chrono::microseconds>;
// MySQL TIME: a signed duration that may exceed 24 hours.
using time_of_day = std::chrono::microseconds;

// NULL is std::monostate. Unsigned 64-bit values keep their own alternative so that
// BIGINT UNSIGNED above INT64_MAX round-trips.
using value = std::variant<std::monostate, bool, std::int64_t, std::uint64_t, double, std::string,
                           bytes, date, datetime, time_of_day>;

inline constexpr std::monostate null{};

// Name of the alternative a value holds ("null", "int64", "string", ...), for error messages.
const char* type_name(const value& v) noexcept;

}  // namespace fibersql
