#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// One SQL value as it crosses the client boundary, in either direction.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace fibersql {

// Binary data (BLOB, VARBINARY); kept apart from text so it is never charset-converted.
struct bytes {
  std::string data{};
  friend bool operator==(const bytes&, const bytes&) = default;
};

using date = std::chrono::year_month_day;
// DATETIME/TIMESTAMP, microsecond resolution, no time zone attached (the server's wall clock).
using datetime = std::chrono::sys_time<std::chrono::microseconds>;
// MySQL TIME: a signed duration that may exceed 24 hours.
using time_of_day = std::chrono::microseconds;

// NULL is std::monostate. Unsigned 64-bit values keep their own alternative so that
// BIGINT UNSIGNED above INT64_MAX round-trips.
using value_variant = std::variant<std::monostate, bool, std::int64_t, std::uint64_t, double, std::string, bytes, date,
                                   datetime, time_of_day>;

namespace detail {

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
template <class T>
struct is_sys_time : std::false_type {};
template <class D>
struct is_sys_time<std::chrono::sys_time<D>> : std::true_type {};
template <class T>
struct is_duration : std::false_type {};
template <class R, class P>
struct is_duration<std::chrono::duration<R, P>> : std::true_type {};

// The compiler names T in the "required from" line of this instantiation, right above the
// message, so the one error a user sees says which type was passed.
template <class T>
struct unsupported_value_type {
  static_assert(sizeof(T) == 0,
                "fibersql::value: this type cannot be a SQL value (accepted: nullptr, std::nullopt, bool, "
                "integers, enums, float, double, strings, string_view, char arrays, fibersql::bytes, "
                "year_month_day, any sys_time, durations, std::optional of these)");
  static value_variant make() { return {}; }
};

// to_variant: the obvious meaning of each accepted C++ type as a SQL value.
template <class T>
value_variant to_variant(T&& x) {
  using t = std::remove_cvref_t<T>;
  if constexpr (std::is_same_v<t, value_variant>) {
    return std::forward<T>(x);
  } else if constexpr (std::is_same_v<t, std::monostate> || std::is_same_v<t, std::nullptr_t> ||
                       std::is_same_v<t, std::nullopt_t>) {
    return std::monostate{};
  } else if constexpr (is_optional<t>::value) {
    if (!x) return std::monostate{};
    return to_variant(*std::forward<T>(x));
  } else if constexpr (std::is_same_v<t, bool>) {
    return x;
  } else if constexpr (std::is_same_v<t, char> || std::is_same_v<t, wchar_t> || std::is_same_v<t, char8_t> ||
                       std::is_same_v<t, char16_t> || std::is_same_v<t, char32_t>) {
    // A single character: text or a number? Neither is obvious, so neither is guessed.
    return unsupported_value_type<t>::make();
  } else if constexpr (std::is_enum_v<t>) {
    return to_variant(static_cast<std::underlying_type_t<t>>(x));
  } else if constexpr (std::is_integral_v<t> && std::is_signed_v<t>) {
    return static_cast<std::int64_t>(x);
  } else if constexpr (std::is_integral_v<t>) {
    // Unsigned types narrower than 64 bits always fit int64, the type every backend handles.
    if constexpr (sizeof(t) < sizeof(std::uint64_t))
      return static_cast<std::int64_t>(x);
    else
      return static_cast<std::uint64_t>(x);
  } else if constexpr (std::is_floating_point_v<t>) {
    return static_cast<double>(x);
  } else if constexpr (std::is_same_v<t, std::string>) {
    return std::forward<T>(x);
  } else if constexpr (std::is_convertible_v<const t&, std::string_view> && !std::is_same_v<t, std::nullptr_t>) {
    // string_view, char arrays, const char* (a null pointer is NULL, not a crash).
    if constexpr (std::is_pointer_v<t>) {
      if (x == nullptr) return std::monostate{};
    }
    return std::string(std::string_view(x));
  } else if constexpr (std::is_same_v<t, bytes> || std::is_same_v<t, date> || std::is_same_v<t, datetime> ||
                       std::is_same_v<t, time_of_day>) {
    return std::forward<T>(x);
  } else if constexpr (std::is_same_v<t, std::chrono::sys_days>) {
    return date(x);
  } else if constexpr (is_sys_time<t>::value) {
    return std::chrono::floor<std::chrono::microseconds>(x);  // floor: instants before 1970 too
  } else if constexpr (is_duration<t>::value) {
    return std::chrono::duration_cast<time_of_day>(x);
  } else {
    return unsupported_value_type<t>::make();
  }
}

}  // namespace detail

// value: the variant above, constructible from every C++ type with an obvious SQL meaning
// (nullptr and std::nullopt are NULL); any other type fails to compile with one static_assert
// naming it. Use it as the variant it is (std::get_if, std::holds_alternative, std::visit).
class value : public value_variant {
 public:
  value() noexcept = default;  // NULL
  value(const value&) = default;
  value(value&&) noexcept = default;
  value& operator=(const value&) = default;
  value& operator=(value&&) noexcept = default;
  ~value() = default;

  template <class T>
  requires(!std::is_same_v<std::remove_cvref_t<T>, value>) value(T&& x)
      : value_variant(detail::to_variant(std::forward<T>(x))) {}  // NOLINT: implicit by design

  friend bool operator==(const value& a, const value& b) {
    return static_cast<const value_variant&>(a) == static_cast<const value_variant&>(b);
  }
};

inline constexpr std::monostate null{};

// Name of the alternative a value holds ("null", "int64", "string", ...), for error messages.
const char* type_name(const value& v) noexcept;

}  // namespace fibersql
FIBERSQL_PUBLIC_END
