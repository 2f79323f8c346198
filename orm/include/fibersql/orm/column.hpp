#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// column<Model, Member>: the typed handle of one column, a member of a table struct
// (`users.username`). A literal type: the member pointer, the column's metadata and the
// qualifier it is rendered with (the table's name, or an alias).
#include <string_view>

#include <fibersql/orm/column_info.hpp>
#include <fibersql/orm/expr.hpp>

namespace fibersql::orm {

namespace detail {
// assignable: may a column with member type Member be set from V (a value or an expression)?
template <class Member, class V>
concept assignable = (expression<V> && (comparable<strip_optional_t<Member>, operand_t<V>> ||
                                        comparable<operand_t<V>, strip_optional_t<Member>>)) ||
                     (!expression<V> &&
                      (std::convertible_to<const V&, Member> ||
                       (string_value<strip_optional_t<Member>> && std::convertible_to<const V&, std::string_view>)));
template <class Member, class V>
inline constexpr bool assignable_v = assignable<Member, V>;  // a bool: a one-note static_assert
// owner_info: the table metadata of Model, through FIBERSQL_TABLE's ADL hook; nullptr for a
// hand-written table without fibersql_table_of.
template <class Model>
const table_info* owner_info() {
  if constexpr (requires { fibersql_table_of(static_cast<const Model*>(nullptr)); })
    return &std::remove_cvref_t<decltype(fibersql_table_of(static_cast<const Model*>(nullptr)))>::fibersql_info;
  else
    return nullptr;
}
}  // namespace detail

template <class Model, class Member>
class column : public expr_ops<column<Model, Member>, Member> {
 public:
  using model_type = Model;
  using member_type = Member;
  using fibersql_expr_type = Member;

  Member Model::*member = nullptr;
  const column_info* info = nullptr;
  std::string_view qualifier{};  // empty: the table's name

  constexpr column(Member Model::*m, const column_info* i) : member(m), info(i) {}

  detail::node_ptr fibersql_node() const { return detail::make_column(*info, qualifier, detail::owner_info<Model>()); }

  // `users.login_count = users.login_count + 1`: an assignment for update() and upserts
  // (the table object is const, so this never assigns the handle itself).
  template <class V>
  detail::assignment operator=(const V& v) const {
    static_assert(detail::assignable_v<Member, V>, "fibersql::orm: the assigned value does not fit the column's type");
    return {info, detail::to_node(v)};
  }
};

// The handle FIBERSQL_TABLE leaves for a member the model does not have (after saying so).
template <class Model>
class column<Model, detail::missing_member> {
 public:
  const column_info* info = nullptr;
  constexpr column(std::nullptr_t, const column_info* i) : info(i) {}
};

}  // namespace fibersql::orm
FIBERSQL_PUBLIC_END
