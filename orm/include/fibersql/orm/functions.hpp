#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// SQL functions with C++ result types (aggregates are std::optional where SQL yields NULL
// over no rows), a typed escape hatch for any other function, raw SQL fragments from string
// literals only, and `excluded` for upserts.
#include <array>
#include <cstdint>
#include <optional>

#include <fibersql/orm/column.hpp>
#include <fibersql/orm/expr.hpp>

namespace fibersql::orm {

namespace detail {
template <class T>
struct nullable_of {
  using type = std::optional<T>;
};
template <class T>
struct nullable_of<std::optional<T>> {
  using type = std::optional<T>;
};
template <class... E>
node_ptr call_node(std::string_view name, const E&... args) {
  std::array<node_ptr, sizeof...(E)> nodes{to_node(args)...};
  return make_function(name, nodes);
}
}  // namespace detail

namespace fn {
// count(): COUNT(*); count(e): COUNT(e), the non-NULL values of e.
inline expr<std::int64_t> count() {
  return expr<std::int64_t>(detail::make_function("COUNT", {}, true));
}
template <expression E>
expr<std::int64_t> count(const E& e) {
  return expr<std::int64_t>(detail::call_node("COUNT", e));
}
// sum/min/max: NULL over no rows, so std::optional.
template <expression E>
auto sum(const E& e) {
  static_assert(detail::numeric_value<detail::operand_t<E>>, "fibersql::orm: sum() needs a numeric expression");
  return expr<std::optional<detail::operand_t<E>>>(detail::call_node("SUM", e));
}
template <expression E>
auto min(const E& e) {
  return expr<std::optional<detail::operand_t<E>>>(detail::call_node("MIN", e));
}
template <expression E>
auto max(const E& e) {
  return expr<std::optional<detail::operand_t<E>>>(detail::call_node("MAX", e));
}
template <expression E>
expr<std::optional<double>> avg(const E& e) {
  static_assert(detail::numeric_value<detail::operand_t<E>>, "fibersql::orm: avg() needs a numeric expression");
  return expr<std::optional<double>>(detail::call_node("AVG", e));
}
template <expression E>
auto lower(const E& e) {
  static_assert(detail::string_value<detail::operand_t<E>>, "fibersql::orm: lower() needs a string expression");
  return expr<typename E::fibersql_expr_type>(detail::call_node("LOWER", e));
}
template <expression E>
auto upper(const E& e) {
  static_assert(detail::string_value<detail::operand_t<E>>, "fibersql::orm: upper() needs a string expression");
  return expr<typename E::fibersql_expr_type>(detail::call_node("UPPER", e));
}
template <expression E>
expr<std::int64_t> length(const E& e) {
  static_assert(detail::string_value<detail::operand_t<E>>, "fibersql::orm: length() needs a string expression");
  return expr<std::int64_t>(detail::call_node("LENGTH", e));
}
// coalesce(e, fallback): the first non-NULL; not nullable when the fallback is a plain value.
template <expression E, class F>
auto coalesce(const E& e, const F& fallback) {
  static_assert(detail::comparable_operands<E, F>, "fibersql::orm: coalesce() of incompatible types");
  return expr<detail::operand_t<E>>(detail::call_node("COALESCE", e, fallback));
}
// now(): CURRENT_TIMESTAMP of the server.
inline expr<fibersql::datetime> now() {
  return expr<fibersql::datetime>(detail::make_raw("CURRENT_TIMESTAMP"));
}
// call<T>("JSON_LENGTH", args...): any other function, its result type stated; the name
// must be a string literal.
template <class T, class... A>
expr<T> call(detail::literal name, const A&... args) {
  return expr<T>(detail::call_node(name.text, args...));
}
}  // namespace fn

// concat(a, b): string concatenation (`a || b` on SQLite, CONCAT(a, b) on MySQL/MariaDB).
template <class A, class B>
expr<std::string> concat(const A& a, const B& b) {
  static_assert(detail::text_operand<A> && detail::text_operand<B>, "fibersql::orm: concat() needs two strings");
  return expr<std::string>(detail::make_concat(detail::to_node(a), detail::to_node(b)));
}

// sql<T>("CURRENT_DATE"): a raw SQL fragment of type T. consteval: only string literals
// compile, so user input can never become SQL text.
template <class T>
expr<T> sql(detail::literal text) {
  return expr<T>(detail::make_raw(text.text));
}
template <class T, class S>
requires(!std::is_array_v<S>) expr<T> sql(const S&) {
  static_assert(detail::dependent_false<S>,
                "fibersql::orm: raw SQL must be a string literal; pass run-time values as bound values");
  return {};
}

// excluded(c): in an upsert, the value the conflicting insert would have written to c.
template <class M, class V>
expr<V> excluded(const column<M, V>& c) {
  return expr<V>(detail::make_excluded(*c.info));
}

// exists / not_exists: a condition on a subquery returning any row.
template <select_like Q>
expr<bool> exists(const Q& q) {
  return expr<bool>(detail::make_exists(q.fibersql_state(), false));
}
template <select_like Q>
expr<bool> not_exists(const Q& q) {
  return expr<bool>(detail::make_exists(q.fibersql_state(), true));
}
// scalar: a one-column subquery used as a value (`(SELECT MAX(...) FROM ...)`), nullable.
template <select_like Q>
auto scalar(const Q& q) {
  return expr<typename detail::nullable_of<typename Q::row_type>::type>(detail::make_subquery(q.fibersql_state()));
}

}  // namespace fibersql::orm
FIBERSQL_PUBLIC_END
