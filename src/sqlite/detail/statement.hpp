#pragma once
// Statement-level pieces of the SQLite backend: the sqlite3_stmt owner, parameter binding
// and typed column reading.
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include <sqlite3.h>

#include <fibersql/sql/value.hpp>

namespace fibersql::sqlite::detail {

struct stmt_finalizer {
  void operator()(sqlite3_stmt* stmt) const noexcept { sqlite3_finalize(stmt); }
};
// Owns one prepared statement; finalized on every path out of a query.
using stmt_ptr = std::unique_ptr<sqlite3_stmt, stmt_finalizer>;

// bind_params: binds params to placeholders 1..n. Text and blobs are bound SQLITE_STATIC: the
// caller's span outlives the statement, which query() finalizes before returning.
// Throws: programming_error on a count mismatch, data_error for a value SQLite cannot store.
void bind_params(sqlite3_stmt* stmt, std::span<const value> params);

// How a column's declared type asks us to read its stored value.
enum class column_kind { plain, date, datetime, time, boolean };

// column_kinds: one kind per result column, from sqlite3_column_decltype.
std::vector<column_kind> column_kinds(sqlite3_stmt* stmt);

// read_column: column i of the current row, typed by storage class, then by kind when the
// stored value parses as that type (otherwise it is returned as stored).
value read_column(sqlite3_stmt* stmt, int i, column_kind kind);

// skip_trivia: the index of the first byte at or after i that is not whitespace, ';' or part
// of an SQL comment (text.size() if there is none).
std::size_t skip_trivia(std::string_view text, std::size_t i) noexcept;
// only_trivia: true if text holds nothing but whitespace, ';' and SQL comments.
bool only_trivia(std::string_view text) noexcept;

}  // namespace fibersql::sqlite::detail
