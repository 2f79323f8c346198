#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Typed expressions: expr<T> is a handle on an expression tree node whose SQL value has the
// C++ type T (std::optional<T> where SQL may yield NULL). Operators only combine compatible
// types; a misuse hits a fallback overload whose static_assert names the problem in one line
// instead of a wall of rejected candidates.
#include <initializer_list>
#include <optional>
#include <ranges>
#include <type_traits>
#include <utility>
#include <vector>

#include <fibersql/orm/detail/literal.hpp>
#include <fibersql/orm/detail/node.hpp>
#include <fibersql/orm/detail/types.hpp>

namespace fibersql::orm {

template <class T>
class expr;

// expression: a column or an expr<T>; its fibersql_expr_type is the C++ type of its value.
template <class E>
concept expression = requires(const E& e) {
  typename E::fibersql_expr_type;
  { e.fibersql_node() } -> std::same_as<detail::node_ptr>;
};

// select_like: a select query (for IN (subquery), EXISTS and scalar subqueries).
template <class Q>
concept select_like = requires(const Q& q) {
  typename Q::row_type;
  { q.fibersql_state() } -> std::same_as<detail::query_ptr>;
};

namespace detail {
template <class X>
struct operand {
  using type = std::remove_cvref_t<X>;
};
template <expression X>
struct operand<X> {
  using type = strip_optional_t<typename X::fibersql_expr_type>;
};
// operand_t: the value type an operand contributes (columns and exprs: their value type).
template <class X>
using operand_t = typename operand<std::remove_cvref_t<X>>::type;

template <class L, class R>
concept one_expression = expression<L> || expression<R>;
template <class L, class R>
concept comparable_operands = one_expression<L, R> &&
    (comparable<operand_t<L>, operand_t<R>> || comparable<operand_t<R>, operand_t<L>>);
template <class X>
concept text_operand = string_value<operand_t<X>> ||(!expression<X> && std::convertible_to<const X&, std::string_view>);
template <class E>
concept condition = expression<E> && std::same_as < operand_t<E>,
bool > ;
template <class L, class R>
concept numeric_operands = one_expression<L, R> && numeric_value<operand_t<L>> && numeric_value<operand_t<R>>;

template <class T, class U>
struct dependent_type {
  using type = U;
};

template <class L, class R, bool = numeric_operands<L, R>>
struct arithmetic_result {
  using type = std::int64_t;  // only reached after the static_assert has fired
};
template <class L, class R>
struct arithmetic_result<L, R, true> {
  using type = decltype(operand_t<L>{} + operand_t<R>{});
};

// with_primitive: calls f with v as the type it binds as (bool, std::int64_t, std::uint64_t,
// double, std::string_view, bytes, date, datetime, time_of_day), or with std::nullopt for
// NULL; custom types go through value_traits, enums through their underlying integer.
template <class V, class F>
decltype(auto) with_primitive(const V& v, F&& f) {
  if constexpr (is_optional_v<V>) {
    if (v) return with_primitive(*v, f);
    return f(std::nullopt);
  } else if constexpr (custom_value<V>)
    return with_primitive(value_traits<V>::to_value(v), f);
  else if constexpr (enum_value<V>)
    return with_primitive(static_cast<std::underlying_type_t<V>>(v), f);
  else if constexpr (std::same_as<V, std::nullopt_t> || std::same_as<V, bool>)
    return f(v);
  else if constexpr (integer_value<V> && std::is_unsigned_v<V> && sizeof(V) == 8)
    return f(std::uint64_t(v));
  else if constexpr (integer_value<V>)
    return f(std::int64_t(v));
  else if constexpr (real_value<V>)
    return f(double(v));
  else if constexpr (std::is_convertible_v<const V&, std::string_view>)
    return f(std::string_view(v));
  else
    return f(v);
}
// to_param: a C++ value as a bound-parameter node (never SQL text).
template <class V>
node_ptr to_param(const V& v) {
  return with_primitive(v, [](const auto& p) {
    if constexpr (std::same_as<std::remove_cvref_t<decltype(p)>, std::nullopt_t>)
      return make_null();
    else
      return make_param(p);
  });
}
template <class X>
node_ptr to_node(const X& x) {
  if constexpr (expression<X>)
    return x.fibersql_node();
  else
    return to_param(x);
}
}  // namespace detail

// ordering: an ORDER BY term (`users.id.desc()`).
struct ordering {
  detail::node_ptr node;
  bool descending = false;
};

// expr_ops: the methods every expression has (columns and exprs alike).
template <class Derived, class T>
class expr_ops {
  using value_type = detail::strip_optional_t<T>;
  // Dependent, so expr<bool> (derived from expr_ops<expr<bool>, bool>) may be incomplete here.
  using bool_expr = typename detail::dependent_type<T, expr<bool>>::type;
  detail::node_ptr self() const { return static_cast<const Derived&>(*this).fibersql_node(); }
  template <class R>
  static void check_comparable() {
    static_assert(detail::comparable_operands<Derived, R>,
                  "fibersql::orm: in()/between() with values of an incompatible type");
  }

 public:
  // in / not_in: membership in a list of values (empty: always false / always true) or in a
  // one-column subquery of a comparable type.
  template <class V>
  bool_expr in(std::initializer_list<V> values) const {
    return in_range(values, false);
  }
  template <class V>
  bool_expr not_in(std::initializer_list<V> values) const {
    return in_range(values, true);
  }
  template <std::ranges::input_range R>
  requires(!select_like<R>) bool_expr in(const R& values)
  const { return in_range(values, false); }
  template <std::ranges::input_range R>
  requires(!select_like<R>) bool_expr not_in(const R& values)
  const { return in_range(values, true); }
  template <select_like Q>
  bool_expr in(const Q& q) const {
    return in_query(q, false);
  }
  template <select_like Q>
  bool_expr not_in(const Q& q) const {
    return in_query(q, true);
  }

  // like: a pattern the caller wrote (% and _ are wildcards). contains / starts_with /
  // ends_with: a plain string; the ORM escapes % _ and \ in it.
  bool_expr like(std::string_view pattern) const requires detail::string_value<value_type> {
    return bool_expr(detail::make_like(self(), detail::make_param(pattern)));
  }
  bool_expr contains(std::string_view s) const requires detail::string_value<value_type> {
    return bool_expr(detail::make_pattern(self(), s, true, true));
  }
  bool_expr starts_with(std::string_view s) const requires detail::string_value<value_type> {
    return bool_expr(detail::make_pattern(self(), s, false, true));
  }
  bool_expr ends_with(std::string_view s) const requires detail::string_value<value_type> {
    return bool_expr(detail::make_pattern(self(), s, true, false));
  }
  template <class A, class B>
  bool_expr between(const A& lo, const B& hi) const {
    check_comparable<A>();
    check_comparable<B>();
    return bool_expr(detail::make_between(self(), detail::to_node(lo), detail::to_node(hi)));
  }
  bool_expr is_null() const { return bool_expr(detail::make_postfix("IS NULL", self())); }
  bool_expr is_not_null() const { return bool_expr(detail::make_postfix("IS NOT NULL", self())); }
  ordering asc() const { return {self(), false}; }
  ordering desc() const { return {self(), true}; }
  // as: the expression under an alias (a string literal) in a select list.
  expr<T> as(detail::literal name) const;

 private:
  template <class R>
  bool_expr in_range(const R& values, bool negated) const {
    check_comparable<std::ranges::range_value_t<R>>();
    std::vector<detail::node_ptr> items;
    for (const auto& v : values) items.push_back(detail::to_node(v));
    return bool_expr(detail::make_in_list(self(), std::move(items), negated));
  }
  template <class Q>
  bool_expr in_query(const Q& q, bool negated) const {
    using row = detail::strip_optional_t<typename Q::row_type>;
    static_assert(detail::comparable<value_type, row> || detail::comparable<row, value_type>,
                  "fibersql::orm: in(subquery) needs a subquery selecting one column of a comparable type");
    return bool_expr(detail::make_in_query(self(), q.fibersql_state(), negated));
  }
};

template <class T>
class expr : public expr_ops<expr<T>, T> {
 public:
  using fibersql_expr_type = T;
  expr() = default;
  explicit expr(detail::node_ptr n) : node_(std::move(n)) {}
  detail::node_ptr fibersql_node() const& { return node_; }
  // A temporary hands its node over, so the query it goes into owns it alone.
  detail::node_ptr fibersql_node() && { return std::move(node_); }

 private:
  detail::node_ptr node_;
};

template <class Derived, class T>
expr<T> expr_ops<Derived, T>::as(detail::literal name) const {
  return expr<T>(detail::make_alias(self(), name.text));
}

namespace detail {
// incompatible: the one place the comparison fallbacks fail, outside any macro, so the
// diagnostic is the static_assert and the two types, nothing else.
template <class L, class R>
void incompatible() {
  static_assert(dependent_false<L>, "fibersql::orm: comparison between incompatible types (L and R above)");
}
}  // namespace detail

// Comparisons: between compatible types only; the second overload of each turns any other
// use into one static_assert.
#define FIBERSQL_ORM_COMPARISON(op, sql)                                                  \
  template <class L, class R>                                                             \
  requires detail::comparable_operands<L, R> expr<bool>                                   \
  operator op(const L& l, const R& r) {                                                   \
    return expr<bool>(detail::make_binary(sql, detail::to_node(l), detail::to_node(r)));  \
  }                                                                                       \
  template <class L, class R>                                                             \
  requires(detail::one_expression<L, R> && !detail::comparable_operands<L, R>) expr<bool> \
  operator op(const L&, const R&) {                                                       \
    detail::incompatible<detail::operand_t<L>, detail::operand_t<R>>();                   \
    return {};                                                                            \
  }
FIBERSQL_ORM_COMPARISON(==, "=")
FIBERSQL_ORM_COMPARISON(!=, "<>")
FIBERSQL_ORM_COMPARISON(<, "<")
FIBERSQL_ORM_COMPARISON(<=, "<=")
FIBERSQL_ORM_COMPARISON(>, ">")
FIBERSQL_ORM_COMPARISON(>=, ">=")
#undef FIBERSQL_ORM_COMPARISON

// && || !: on conditions (boolean expressions, including a bool column).
template <class L, class R>
requires(detail::one_expression<L, R>) expr<bool>
operator&&(const L& l, const R& r) {
  static_assert(detail::condition<L> && detail::condition<R>, "fibersql::orm: && needs two boolean expressions");
  return expr<bool>(detail::make_binary("AND", detail::to_node(l), detail::to_node(r)));
}
template <class L, class R>
requires(detail::one_expression<L, R>) expr<bool>
operator||(const L& l, const R& r) {
  static_assert(detail::condition<L> && detail::condition<R>, "fibersql::orm: || needs two boolean expressions");
  return expr<bool>(detail::make_binary("OR", detail::to_node(l), detail::to_node(r)));
}
template <expression E>
expr<bool> operator!(const E& e) {
  static_assert(detail::condition<E>, "fibersql::orm: ! needs a boolean expression");
  return expr<bool>(detail::make_unary("NOT", e.fibersql_node()));
}

// Arithmetic on numbers: the result has the usual arithmetic type.
#define FIBERSQL_ORM_ARITHMETIC(op, sql)                                                          \
  template <class L, class R>                                                                     \
  requires(detail::one_expression<L, R>) auto operator op(const L& l, const R& r) {               \
    static_assert(detail::numeric_operands<L, R>, "fibersql::orm: arithmetic needs two numbers"); \
    using result = typename detail::arithmetic_result<L, R>::type;                                \
    return expr<result>(detail::make_binary(sql, detail::to_node(l), detail::to_node(r)));        \
  }
FIBERSQL_ORM_ARITHMETIC(+, "+")
FIBERSQL_ORM_ARITHMETIC(-, "-")
FIBERSQL_ORM_ARITHMETIC(*, "*")
FIBERSQL_ORM_ARITHMETIC(/, "/")
#undef FIBERSQL_ORM_ARITHMETIC

}  // namespace fibersql::orm
FIBERSQL_PUBLIC_END
