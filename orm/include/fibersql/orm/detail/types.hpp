#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Type predicates shared by the column options, the expression operators and the renderers.
#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include <fibersql/orm/column_info.hpp>
#include <fibersql/orm/value_traits.hpp>
#include <fibersql/sql/value.hpp>

namespace fibersql::orm::detail {

// The member type FIBERSQL_TABLE records when the model has no member of that name; the
// macro's static_assert has already said so, and nothing else about it may fail.
struct missing_member {};

template <class T>
struct strip_optional {
  using type = T;
};
template <class T>
struct strip_optional<std::optional<T>> {
  using type = T;
};
template <class T>
using strip_optional_t = typename strip_optional<T>::type;
template <class T>
inline constexpr bool is_optional_v = false;
template <class T>
inline constexpr bool is_optional_v<std::optional<T>> = true;

template <class T>
inline constexpr bool dependent_false = false;

template <class V>
concept integer_value = std::integral<V> && !std::same_as<V, bool> && !std::same_as<V, char>;
template <class V>
concept real_value = std::floating_point<V>;
template <class V>
concept numeric_value = integer_value<V> || real_value<V>;
template <class V>
concept string_value = std::same_as<V, std::string>;
template <class V>
concept bytes_value = std::same_as<V, fibersql::bytes>;
template <class V>
concept temporal_value =
    std::same_as<V, fibersql::date> || std::same_as<V, fibersql::datetime> || std::same_as<V, fibersql::time_of_day>;

// The same predicates as plain bools, for static_asserts: a false concept in a
// static_assert makes GCC explain the whole constraint; a false bool is one note line.
template <class V>
inline constexpr bool is_integer_v = integer_value<V>;
template <class V>
inline constexpr bool is_string_v = string_value<V>;
template <class V>
inline constexpr bool is_string_or_bytes_v = string_value<V> || bytes_value<V>;
template <class V>
inline constexpr bool is_datetime_v = std::same_as<V, fibersql::datetime>;
template <class V, class D>
inline constexpr bool default_fits_v = std::same_as<V, D> || (numeric_value<V> && numeric_value<D>);

// sql_type_of: the renderer's name for a value type.
template <class V>
constexpr sql_type sql_type_of() {
  if constexpr (custom_value<V>)
    return value_traits<V>::sql_type;
  else if constexpr (enum_value<V>)
    return sql_type_of<std::underlying_type_t<V>>();
  else if constexpr (std::same_as<V, bool>)
    return sql_type::boolean;
  else if constexpr (integer_value<V> && sizeof(V) <= 2)
    return sql_type::int16;
  else if constexpr (integer_value<V> && sizeof(V) <= 4)
    return sql_type::int32;
  else if constexpr (integer_value<V> && std::is_unsigned_v<V>)
    return sql_type::uint64;
  else if constexpr (integer_value<V>)
    return sql_type::int64;
  else if constexpr (std::same_as<V, float>)
    return sql_type::real32;
  else if constexpr (real_value<V>)
    return sql_type::real64;
  else if constexpr (string_value<V>)
    return sql_type::text;
  else if constexpr (bytes_value<V>)
    return sql_type::blob;
  else if constexpr (std::same_as<V, fibersql::date>)
    return sql_type::date;
  else if constexpr (std::same_as<V, fibersql::datetime>)
    return sql_type::datetime;
  else if constexpr (std::same_as<V, fibersql::time_of_day>)
    return sql_type::time;
  else
    return sql_type::unknown;
}

// comparable: may an expression of value type L be compared with one of value type R?
// Integers and reals mix; strings compare with anything viewable as a string; the rest only
// with their own type.
template <class L, class R>
concept comparable = (numeric_value<L> && numeric_value<std::remove_cvref_t<R>>) ||
                     (string_value<L> && std::convertible_to<const R&, std::string_view> &&
                      !std::same_as<std::remove_cvref_t<R>, std::nullptr_t>) ||
                     (!numeric_value<L> && !string_value<L> && std::same_as<L, std::remove_cvref_t<R>>);

}  // namespace fibersql::orm::detail
FIBERSQL_PUBLIC_END
