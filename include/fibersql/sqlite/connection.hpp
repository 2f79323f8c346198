#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// An SQLite connection with the same surface as the MySQL one: the embedded default backend
// and the one the test suites run everywhere.
//
// SQLite is synchronous: every call runs to completion on the calling thread and blocks the
// hub while it does. That is accepted (an embedded database answers in microseconds, there is
// no network to wait for), but a long statement stalls every fiber on the hub, and the monitor
// will say so. For the same reason busy_timeout is a blocking sleep inside SQLite: waiting for
// a lock held by another fiber on the *same* hub can only time out, because that fiber cannot
// run meanwhile. Set busy_timeout to 0 and supply on_busy (which may sleep the fiber) when
// several fibers share one database file or one shared in-memory database.
//
// Broken vs. poisoned: only handle-level failures (IO error, corruption, not a database, out of
// memory, cannot open) close the connection and set is_broken(). Other operational errors
// (busy, locked, read-only) leave the handle usable; they still report poisons_connection(),
// so a pool discards the connection, which is safe for SQLite (reopening is cheap).
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <fibersql/sql/connection.hpp>
#include <fibersql/sql/detail/connection_claim.hpp>

struct sqlite3;
struct sqlite3_stmt;

namespace fibersql::sqlite {

namespace detail {
struct stmt_finalizer;
}

struct options {
  // How long SQLite itself retries (sleeping the thread) on SQLITE_BUSY, in ms; 0 disables.
  std::chrono::milliseconds busy_timeout{5000};
  // Open read-only (SQLITE_OPEN_READONLY); writes fail with operational_error.
  bool read_only = false;
  // Create the file when it does not exist (ignored for in-memory databases).
  bool create = true;
  // PRAGMA foreign_keys=ON, so REFERENCES are enforced as in InnoDB (SQLite's default is off).
  bool foreign_keys = true;
  // PRAGMA journal_mode after opening (delete, truncate, persist, memory, wal, off); empty
  // keeps the database's own. Throws at open: interface_error for any other word.
  std::string journal_mode{};
  // Called when a statement hits SQLITE_BUSY or SQLITE_LOCKED before producing any row, with
  // the attempt number from 1; returning true retries the statement (safe: a busy statement
  // did nothing), false throws operational_error. The Database layer passes one that sleeps
  // the fiber, so other fibers can finish the transaction holding the lock.
  std::function<bool(unsigned attempt)> on_busy{};
  // Runs a blocking SQLite call (one sqlite3_step) and returns when it has. Empty: inline, on
  // the calling thread. The Database layer passes one that hands the call to the worker pool
  // (offload_shielded) for file databases, whose commits wait for the disk (fdatasync).
  std::function<void(const std::function<void()>& call)> run_blocking{};
  // Which statements go through run_blocking: `syncing` (COMMIT/END, and writes outside a
  // transaction: the statements that may wait for the disk) or `every` statement.
  enum class blocking { syncing, every } run_blocking_for = blocking::syncing;
};

class connection final : public fibersql::connection {
 public:
  // connection: opens `path`: a file name, ":memory:" (private to this connection) or an
  // SQLite URI starting with "file:" (only then is SQLITE_OPEN_URI passed). ATTACH takes
  // only a file name written in the SQL text: `ATTACH ?` or a computed name is refused
  // (SQLite may read it as a URI whose ?mode=, ?vfs= a bound value would then choose).
  // Throws: operational_error naming the path; interface_error for a NUL in it.
  explicit connection(std::string_view path, options opts = {});
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;
  ~connection() override;

  // open: as the constructor, for callers that hold connections as fibersql::connection.
  static std::unique_ptr<connection> open(std::string_view path, options opts = {});
  // open_shared_memory: a connection to the in-memory database called `name`, shared by every
  // connection in this process that opens the same name; the database lives while at least one
  // of them is open and vanishes with the last. The name may contain any byte.
  // Throws: operational_error.
  static std::unique_ptr<connection> open_shared_memory(std::string_view name, options opts = {});
  // shared_memory_uri: the URI open_shared_memory uses ("file:NAME?mode=memory&cache=shared",
  // NAME percent-encoded), for tools that want to open it themselves.
  static std::string shared_memory_uri(std::string_view name);

  // query: runs exactly one statement (trailing ';', whitespace and comments are fine);
  // params bind in order to '?' with sqlite3_bind_*, never pasted into the text. Rows are
  // typed by storage class (INTEGER int64, REAL double, TEXT string, BLOB bytes), and by the
  // declared type where the stored value parses: DATE -> date, DATETIME/TIMESTAMP -> datetime,
  // TIME -> time_of_day (ISO-8601 text), BOOLEAN/BOOL -> bool (0/1). affected_rows counts rows
  // this statement changed (0 for SELECT and DDL); insert_id is the rowid an INSERT made, else 0.
  // Throws: programming_error for a second statement in the text, a wrong parameter count or
  // bad SQL; data_error for a value SQLite cannot hold (uint64 above INT64_MAX, NaN, a date
  // outside year 0000..9999); integrity_error for constraints; operational_error for busy,
  // locked, IO; interface_error after close(). Fiber-safety: one caller at a time
  // (concurrent_use_error if on_busy let another fiber in).
  result query(std::string_view sql, std::span<const value> params) override;
  using fibersql::connection::query;
  // open_stream: as query(), but the statement is stepped one row per next(), so memory stays
  // bounded; the connection counts as busy (concurrent_use_error for other callers) until
  // the stream is done or closed. The stream keeps its own copy of params.
  std::unique_ptr<row_stream> open_stream(std::string_view sql, std::span<const value> params) override;
  // open_statement: `sql` compiled once (sqlite3_prepare_v3); each execute() rebinds and
  // steps it (SQLite recompiles it by itself after a schema change). Must not outlive the
  // connection. Throws: as query().
  std::unique_ptr<statement> open_statement(std::string_view sql) override;
  // execute_script: runs every statement in `sql` in order, without parameters, discarding
  // rows (schema scripts); statements before a failing one stay done (no implicit
  // transaction), and on_busy is not consulted. Throws: as query(), for the first failure.
  void execute_script(std::string_view sql);

  void begin() override;     // BEGIN (deferred). Throws: programming_error if already in one.
  void commit() override;    // COMMIT. Throws: programming_error if none is active.
  void rollback() override;  // ROLLBACK. Throws: programming_error if none is active.
  bool in_transaction() const noexcept override;

  // ping: proves the handle is open and answers SELECT 1. Throws: operational_error.
  void ping() override;
  // reset: rolls back an open transaction so the next user starts clean.
  // Throws: operational_error (the connection is then broken).
  void reset() override;
  // True once SQLite reported the handle unusable (IO error, corruption, out of memory).
  bool is_broken() const noexcept override { return claim_.broken(); }
  bool is_open() const noexcept { return db_ != nullptr; }
  std::uint64_t server_thread_id() const noexcept override { return 0; }
  void close() noexcept override;
  std::string_view backend_name() const noexcept override { return "sqlite"; }
  // The SQLite library's version (sqlite3_libversion_number).
  server_info server_version() const noexcept override;

  // The path or URI this connection was opened with.
  const std::string& path() const noexcept { return path_; }
  // The raw handle for SQLite-specific calls (nullptr after close). Do not close it.
  sqlite3* native_handle() const noexcept { return db_.get(); }

 private:
  struct db_closer {
    void operator()(sqlite3* db) const noexcept;
  };
  class busy_guard;
  class stream_impl;
  class prepared_impl;

  void open_handle(const std::string& name, int flags);
  sqlite3* handle_or_throw() const;
  // prepare_one: the single statement of `sql` (busy retried through on_busy).
  // Throws: as query().
  std::unique_ptr<sqlite3_stmt, detail::stmt_finalizer> prepare_one(std::string_view sql);
  // run: binds params to a prepared statement and steps it to the end, rows collected.
  result run(sqlite3_stmt* stmt, std::string_view sql, std::span<const value> params);
  void run_text(const char* sql);
  [[noreturn]] void fail(int rc);

  std::string path_;
  options options_;
  std::unique_ptr<sqlite3, db_closer> db_;  // null after close()
  // Who runs a statement or holds a stream (re-entry via on_busy is refused); broken once
  // fail() saw a handle-level failure.
  fibersql::detail::connection_claim claim_{"SQLite"};
};

}  // namespace fibersql::sqlite
FIBERSQL_PUBLIC_END
