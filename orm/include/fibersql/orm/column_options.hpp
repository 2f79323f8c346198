#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// The options a column takes in FIBERSQL_TABLE, checked against the member's type.
// Inside the macro they are in scope unqualified (`(username, unique, max_length(64))`);
// elsewhere write `orm::column_options::unique`.
#include <string_view>

#include <fibersql/orm/column_info.hpp>
#include <fibersql/orm/detail/types.hpp>

namespace fibersql::orm {
template <class Model, class Member>
class column;
}

namespace fibersql::orm::column_options {

struct auto_increment_t {};
struct primary_key_t {};
struct unique_t {};
struct index_t {};
struct text_t {};
struct default_now_t {};
struct references_self_t {};
struct max_length_t {
  int n;
};
struct column_name_t {
  std::string_view name;
};
struct on_delete_t {
  fk_action a;
};
struct on_update_t {
  fk_action a;
};
struct references_deferred_t {
  std::string_view table, column;
};
template <class V>
struct references_t {
  const column_info* target;
};
template <class V>
struct default_value_t {
  default_literal lit;
};

inline constexpr auto_increment_t auto_increment{};  // integer primary key the database numbers
inline constexpr primary_key_t primary_key{};
inline constexpr unique_t unique{};
inline constexpr index_t index{};
inline constexpr text_t text{};  // unbounded TEXT instead of VARCHAR(max_length) on MySQL
inline constexpr default_now_t default_now{};
inline constexpr references_self_t references_self{};  // this table's primary key

inline constexpr fk_action cascade = fk_action::cascade;
inline constexpr fk_action restrict = fk_action::restrict;
inline constexpr fk_action set_null = fk_action::set_null;
inline constexpr fk_action set_default = fk_action::set_default;
inline constexpr fk_action no_action = fk_action::no_action;

constexpr max_length_t max_length(int n) {
  return {n};
}
constexpr column_name_t column_name(std::string_view n) {
  return {n};
}
constexpr on_delete_t on_delete(fk_action a) {
  return {a};
}
constexpr on_update_t on_update(fk_action a) {
  return {a};
}
// references_deferred: a reference resolved by name when the schema is rendered (cycles).
constexpr references_deferred_t references_deferred(std::string_view table, std::string_view column) {
  return {table, column};
}
template <class Model, class Member>
constexpr references_t<detail::strip_optional_t<Member>> references(const column<Model, Member>& c) {
  return {c.info};
}
template <class V>
constexpr auto default_value(V v) {
  default_literal d;
  if constexpr (std::same_as<V, bool>)
    d = {default_literal::kind::boolean, v ? 1 : 0};
  else if constexpr (detail::integer_value<V>)
    d = {default_literal::kind::integer, static_cast<std::int64_t>(v)};
  else if constexpr (detail::real_value<V>)
    d = {default_literal::kind::real, 0, static_cast<double>(v)};
  else
    d = {default_literal::kind::text, 0, 0, std::string_view(v)};
  using tag = std::conditional_t<std::same_as<V, bool> || detail::numeric_value<V>, V, std::string>;
  return default_value_t<tag>{d};
}

}  // namespace fibersql::orm::column_options

namespace fibersql::orm::detail {
namespace co = fibersql::orm::column_options;

// apply: records one option; the static_asserts say which option does not fit the member.
template <class V>
constexpr void apply(option_set& s, co::auto_increment_t) {
  static_assert(is_integer_v<V>, "fibersql::orm: auto_increment fits only integer members");
  s.auto_increment = true;
}
template <class V>
constexpr void apply(option_set& s, co::primary_key_t) {
  s.primary_key = true;
}
template <class V>
constexpr void apply(option_set& s, co::unique_t) {
  s.unique = true;
}
template <class V>
constexpr void apply(option_set& s, co::index_t) {
  s.index = true;
}
template <class V>
constexpr void apply(option_set& s, co::text_t) {
  static_assert(is_string_v<V>, "fibersql::orm: text fits only std::string members");
  s.text = true;
}
template <class V>
constexpr void apply(option_set& s, co::max_length_t o) {
  static_assert(is_string_or_bytes_v<V>, "fibersql::orm: max_length fits only std::string or bytes members");
  s.max_length = o.n;
}
template <class V>
constexpr void apply(option_set& s, co::default_now_t) {
  static_assert(is_datetime_v<V>, "fibersql::orm: default_now fits only fibersql::datetime members");
  s.default_now = true;
}
template <class V, class D>
constexpr void apply(option_set& s, co::default_value_t<D> o) {
  static_assert(default_fits_v<V, D>, "fibersql::orm: default_value's type does not fit the member");
  s.default_value = o.lit;
}
template <class V>
constexpr void apply(option_set& s, co::column_name_t o) {
  s.sql_name = o.name;
}
template <class V, class T>
constexpr void apply(option_set& s, co::references_t<T> o) {
  static_assert(std::is_same_v<V, T>, "fibersql::orm: references() needs a column of the member's own type");
  s.references.target = o.target;
}
template <class V>
constexpr void apply(option_set& s, co::references_self_t) {
  s.references.self = true;
}
template <class V>
constexpr void apply(option_set& s, co::references_deferred_t o) {
  s.references.deferred = true;
  s.references.deferred_table = o.table;
  s.references.deferred_column = o.column;
}
template <class V>
constexpr void apply(option_set& s, co::on_delete_t o) {
  s.references.on_delete = o.a;
}
template <class V>
constexpr void apply(option_set& s, co::on_update_t o) {
  s.references.on_update = o.a;
}

// make_options: the option set of a column whose member has type Member.
template <class Member, class... Opts>
constexpr option_set make_options(Opts... opts) {
  option_set s;
  if constexpr (!std::same_as<Member, missing_member>) (apply<strip_optional_t<Member>>(s, opts), ...);
  return s;
}

// make_column_info: the metadata of one column (what FIBERSQL_TABLE writes per member).
template <class Member>
constexpr column_info make_column_info(std::string_view table, std::string_view member, option_set o) {
  return {table,
          o.sql_name.empty() ? member : o.sql_name,
          member,
          sql_type_of<strip_optional_t<Member>>(),
          is_optional_v<Member>,
          o};
}

}  // namespace fibersql::orm::detail
FIBERSQL_PUBLIC_END
