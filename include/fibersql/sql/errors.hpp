#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// The DB-API error hierarchy that peewee and PyMySQL users know, shared by every backend.
//
//   error
//   ├── interface_error            misuse of the client itself (bad URL, closed connection)
//   │   └── concurrent_use_error   a second fiber called into a busy connection
//   └── database_error
//       ├── operational_error      lost connection, timeouts, server gone, resources
//       │   └── pool_timeout       no pooled connection within acquire_timeout
//       ├── integrity_error        duplicate key, foreign key, NOT NULL
//       ├── programming_error      syntax, unknown table/column, wrong parameter count
//       ├── data_error             value out of range, truncation, bad date
//       ├── internal_error
//       └── not_supported_error
#include <stdexcept>
#include <string>

namespace fibersql {

// Root of every error a database call throws: carries the server's errno, SQLSTATE and message.
class error : public std::runtime_error {
 public:
  error(unsigned code, std::string sqlstate, const std::string& message);
  // Server or client error number (ER_*, CR_*, SQLITE_*); 0 when the client raised it itself.
  unsigned code() const noexcept { return code_; }
  // Five-character SQLSTATE, "HY000" when the backend gives none.
  const std::string& sqlstate() const noexcept { return sqlstate_; }
  // True when the connection that raised this can no longer be trusted and must be discarded.
  virtual bool poisons_connection() const noexcept { return false; }

 private:
  unsigned code_;
  std::string sqlstate_;
};

class interface_error : public error {
 public:
  using error::error;
};
class concurrent_use_error : public interface_error {
 public:
  using interface_error::interface_error;
};
class database_error : public error {
 public:
  using error::error;
};
class operational_error : public database_error {
 public:
  using database_error::database_error;
  bool poisons_connection() const noexcept override { return true; }
};
class pool_timeout : public operational_error {
 public:
  using operational_error::operational_error;
  bool poisons_connection() const noexcept override { return false; }
};
class integrity_error : public database_error {
 public:
  using database_error::database_error;
};
class programming_error : public database_error {
 public:
  using database_error::database_error;
};
class data_error : public database_error {
 public:
  using database_error::database_error;
};
class internal_error : public database_error {
 public:
  using database_error::database_error;
};
class not_supported_error : public database_error {
 public:
  using database_error::database_error;
};

}  // namespace fibersql
FIBERSQL_PUBLIC_END
