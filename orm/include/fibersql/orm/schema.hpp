#pragma once
// schema_sql / drop_sql: the CREATE and DROP statements for a set of tables, in foreign-key
// order (design §7.9): a table comes after the tables it references, ties keep the order the
// tables were given in, a cycle must be broken by references_deferred (else programming_error
// naming it), indexes come after their table. Executing them (create_tables) is ORM part 2.
#include <array>
#include <string>
#include <vector>

#include <fibersql/orm/detail/node.hpp>
#include <fibersql/orm/dialect.hpp>
#include <fibersql/orm/table.hpp>

namespace fibersql::orm {

namespace detail {
std::vector<std::string> render_create(const dialect& d, std::span<const table_ref> tables);
std::vector<std::string> render_drop(const dialect& d, std::span<const table_ref> tables);
// create_order: indexes into tables, referenced tables first. Throws: programming_error.
std::vector<std::size_t> create_order(std::span<const table_ref> tables);
}  // namespace detail

template <table... T>
std::vector<std::string> schema_sql(const dialect& d, const T&... tables) {
  std::array<detail::table_ref, sizeof...(T)> refs{detail::ref_of(tables)...};
  return detail::render_create(d, refs);
}
template <table... T>
std::vector<std::string> drop_sql(const dialect& d, const T&... tables) {
  std::array<detail::table_ref, sizeof...(T)> refs{detail::ref_of(tables)...};
  return detail::render_drop(d, refs);
}

}  // namespace fibersql::orm
