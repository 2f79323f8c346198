#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// value_traits<T>: the customization point for column types the ORM does not know (peewee's
// db_value / python_value). Specialise it in namespace fibersql::orm:
//
//   template <> struct fibersql::orm::value_traits<app::money> {
//     static constexpr orm::sql_type sql_type = orm::sql_type::int64;     // the DDL type
//     static std::int64_t to_value(const app::money& m) { return m.cents; }  // bound as this
//     static app::money from_row(const fibersql::row& r, std::size_t i) {   // read back
//       return {r.get<std::int64_t>(i)};
//     }
//   };
//
// to_value may return any type the ORM binds (integers, double, std::string, bytes, dates).
// Enums need no specialisation: they map to their underlying integer.
#include <cstddef>
#include <type_traits>

#include <fibersql/orm/column_info.hpp>
#include <fibersql/sql/row.hpp>

namespace fibersql::orm {

template <class T>
struct value_traits;  // undefined: T is not a custom column type

namespace detail {
template <class T>
concept custom_value = requires(const T& v, const fibersql::row& r, std::size_t i) {
  { value_traits<T>::sql_type } -> std::convertible_to<orm::sql_type>;
  value_traits<T>::to_value(v);
  { value_traits<T>::from_row(r, i) } -> std::same_as<T>;
};
template <class T>
concept enum_value = std::is_enum_v<T>;
}  // namespace detail

}  // namespace fibersql::orm
FIBERSQL_PUBLIC_END
