// The one table from SQLite result codes to error classes and SQLSTATEs. SQLite has no
// SQLSTATEs of its own; we pick the standard ones a MySQL or PostgreSQL user would expect, so
// code matching on sqlstate() class works across backends.
#include "detail/errors.hpp"

#include <sqlite3.h>

namespace fibersql::sqlite::detail {

error_info classify_result(int extended_code) noexcept {
  switch (extended_code) {  // extended codes that need a finer SQLSTATE than their family
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return {error_kind::integrity, "23505", false};
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return {error_kind::integrity, "23503", false};
    case SQLITE_CONSTRAINT_NOTNULL:
      return {error_kind::integrity, "23502", false};
    case SQLITE_CONSTRAINT_CHECK:
      return {error_kind::integrity, "23514", false};
    default:
      break;
  }
  switch (extended_code & 0xff) {
    case SQLITE_CONSTRAINT:
      return {error_kind::integrity, "23000", false};
    // SQLITE_ERROR is what SQLite says for syntax, unknown tables and columns, and misuse
    // of SQL in general: the statement is wrong, not the connection.
    case SQLITE_ERROR:
      return {error_kind::programming, "42000", false};
    case SQLITE_AUTH:
      return {error_kind::programming, "42501", false};
    case SQLITE_MISMATCH:
      return {error_kind::data, "22000", false};
    case SQLITE_RANGE:
      return {error_kind::data, "22023", false};
    case SQLITE_TOOBIG:
      return {error_kind::data, "22001", false};
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return {error_kind::operational, "HY000", false};
    case SQLITE_INTERRUPT:
      return {error_kind::operational, "57014", false};
    case SQLITE_ABORT:
    case SQLITE_SCHEMA:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_FULL:
    case SQLITE_PROTOCOL:
      return {error_kind::operational, "HY000", false};
    case SQLITE_CANTOPEN:
      return {error_kind::operational, "08001", true};
    case SQLITE_IOERR:
      return {error_kind::operational, "58030", true};
    case SQLITE_NOMEM:
      return {error_kind::operational, "HY001", true};
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return {error_kind::operational, "XX001", true};
    case SQLITE_NOLFS:
      return {error_kind::operational, "HY000", true};
    case SQLITE_MISUSE:
      return {error_kind::interface, "HY010", false};
    case SQLITE_INTERNAL:
    case SQLITE_NOTFOUND:
      return {error_kind::internal, "XX000", false};
    default:
      return {error_kind::database, "HY000", false};
  }
}

void throw_result(int extended_code, const std::string& message) {
  const error_info info = classify_result(extended_code);
  throw_classified(static_cast<unsigned>(extended_code), info.sqlstate, message, info.kind);
}

bool is_busy(int code) noexcept {
  return (code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED;
}

}  // namespace fibersql::sqlite::detail
