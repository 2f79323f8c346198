#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// schema_sql / drop_sql: the CREATE and DROP statements for a set of tables, in foreign-key
// order (design §7.9): a table comes after the tables it references, ties keep the order the
// tables were given in, a cycle must be broken by references_deferred (else programming_error
// naming it), indexes come after their table. create_tables / drop_tables execute them.
#include <array>
#include <string>
#include <vector>

#include <fibersql/db/database.hpp>
#include <fibersql/orm/detail/node.hpp>
#include <fibersql/orm/dialect.hpp>
#include <fibersql/orm/execute.hpp>
#include <fibersql/orm/table.hpp>

namespace fibersql::orm {

namespace detail {
std::vector<std::string> render_create(const dialect& d, std::span<const table_ref> tables);
std::vector<std::string> render_drop(const dialect& d, std::span<const table_ref> tables);
// create_order: indexes into tables, referenced tables first. Throws: programming_error.
std::vector<std::size_t> create_order(std::span<const table_ref> tables);
// run_ddl: runs the statements on db, in one transaction on SQLite; on MySQL/MariaDB, where
// each DDL statement commits implicitly, refuses to run inside an open transaction.
// Throws: programming_error (open transaction on MySQL/MariaDB), the database's errors.
void run_ddl(db::database& db, const std::vector<std::string>& statements, std::string_view what);
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

// create_tables: creates the tables (IF NOT EXISTS) and their indexes, referenced tables
// first. SQLite: all in one transaction (a savepoint inside atomic()). MySQL/MariaDB: DDL
// commits implicitly, so inside an open transaction this is a programming_error instead of
// silently committing the caller's work.
template <table... T>
void create_tables(db::database& db, const T&... tables) {
  std::array<detail::table_ref, sizeof...(T)> refs{detail::ref_of(tables)...};
  detail::run_ddl(db, detail::render_create(detail::dialect_for(db), refs), "create_tables");
}
// drop_tables: drops the tables (IF EXISTS), dependants first; the same transaction rules.
template <table... T>
void drop_tables(db::database& db, const T&... tables) {
  std::array<detail::table_ref, sizeof...(T)> refs{detail::ref_of(tables)...};
  detail::run_ddl(db, detail::render_drop(detail::dialect_for(db), refs), "drop_tables");
}

}  // namespace fibersql::orm
FIBERSQL_PUBLIC_END
