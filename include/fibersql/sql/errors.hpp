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
//       │   ├── pool_timeout       no pooled connection within acquire_timeout
//       │   └── commit_outcome_unknown  the connection was lost during COMMIT
//       ├── integrity_error        duplicate key, foreign key, NOT NULL
//       ├── programming_error      syntax, unknown table/column, wrong parameter count
//       ├── data_error             value out of range, truncation, bad date
//       ├── internal_error
//       └── not_supported_error
#include <cstdint>
#include <stdexcept>
#include <string>

namespace fibersql {

// error_reason: what the client itself knows about a failure, beyond errno and SQLSTATE. A
// read timeout, a dead server and a session killed by an administrator all arrive as MySQL
// 2013 "Lost connection"; the reason tells them apart.
enum class error_reason : std::uint8_t {
  none,              // nothing beyond the error itself (the server answered with it)
  timeout,           // a connect/read/write timeout of the connection, or a server time limit
  connection_lost,   // the server or the network went away (EOF, reset, refused)
  killed_by_server,  // the server ended the session or statement (KILL, shutdown, idle limit)
  cancelled,         // this process interrupted an operation on the connection (fiber kill,
                     // timeout scope); later calls on that connection carry this reason
};
// to_string: "timeout", "connection_lost", ... ("none" for none).
const char* to_string(error_reason reason) noexcept;

// Root of every error a database call throws: carries the server's errno, SQLSTATE and message.
class error : public std::runtime_error {
 public:
  error(unsigned code, std::string sqlstate, const std::string& message, error_reason reason = error_reason::none);
  // Server or client error number (ER_*, CR_*, SQLITE_*); 0 when the client raised it itself.
  unsigned code() const noexcept { return code_; }
  // Five-character SQLSTATE, "HY000" when the backend gives none.
  const std::string& sqlstate() const noexcept { return sqlstate_; }
  // True when the connection that raised this can no longer be trusted and must be discarded.
  virtual bool poisons_connection() const noexcept { return false; }
  // What the client knows about why it failed (see error_reason).
  error_reason reason() const noexcept { return reason_; }
  // set_reason: for a backend that learns more after raising (MySQL asks the server whether
  // a lost session still exists, which tells a KILL from a dead network).
  void set_reason(error_reason reason) noexcept { reason_ = reason; }

 private:
  unsigned code_;
  std::string sqlstate_;
  error_reason reason_;
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
// The connection was lost (or timed out) after COMMIT was sent and before its answer came:
// the transaction may or may not have been committed. Never read it as "rolled back";
// check the data (or an idempotency key) before retrying (libpqxx's in_doubt_error).
class commit_outcome_unknown : public operational_error {
 public:
  using operational_error::operational_error;
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
