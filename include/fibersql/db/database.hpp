#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// database: peewee's Database made fiber-local. Each fiber gets its own connection on first
// use; when the fiber ends — return, exception, kill, timeout, hub shutdown — a fiber-local
// hook rolls back what it left open and hands the connection back to its source.
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

#include <fibersql/db/atomic_options.hpp>
#include <fibersql/db/connection_scope.hpp>
#include <fibersql/db/connection_source.hpp>
#include <fibersql/db/database_options.hpp>
#include <fibersql/db/database_stats.hpp>
#include <fibersql/db/prepared_statement.hpp>
#include <fibersql/db/row_cursor.hpp>
#include <fibersql/db/stream_open_error.hpp>
#include <fibersql/db/transaction.hpp>
#include <fibersql/runtime/fiber_local.hpp>
#include <fibersql/sql/connection.hpp>
#include <fibersql/sql/errors.hpp>
#include <fibersql/sql/result.hpp>

namespace fibersql::db {

namespace detail {
class database_state;
struct slot_handle;
}  // namespace detail

class database {
 public:
  // database(url): connections come from a url_source ("mysql://...", "sqlite::memory:",
  // "sqlite:///path"). Opens nothing yet except the anchor of sqlite::memory:.
  // Throws: interface_error for an unknown URL scheme; operational_error.
  explicit database(std::string_view url, database_options options = {});
  // database(source): connections come from `source` (a pool, or a source of your own).
  // Throws: interface_error if source is null.
  explicit database(std::shared_ptr<connection_source> source, database_options options = {});
  // Fibers still holding connections keep the shared state alive and release them when they
  // end, so destroying the database first is safe.
  ~database();
  database(const database&) = delete;
  database& operator=(const database&) = delete;
  // Movable, so it can be held in a unique_ptr, an optional or a member: fibers keep their
  // connections across the move (they follow the object). A moved-from database may only be
  // destroyed or assigned to. Assigning over a database gives up its connections: each stays
  // with its fiber and is released when that fiber ends.
  database(database&&) noexcept;
  database& operator=(database&&) noexcept;

  // connection: the calling fiber's own connection, acquired on first use. A connection that
  // is_broken() is discarded here and a fresh one acquired. The reference stays valid until
  // close(), a discard, or the fiber's end.
  // Throws: what the source's acquire() throws; operational_error if the connection was lost
  // inside a still-open atomic() scope; misuse_error outside a fiber.
  fibersql::connection& connection();

  // execute / query: runs one statement on the calling fiber's connection, recording it for
  // stats; a connection the error left broken is discarded at once.
  // Throws: the DB-API hierarchy, timeout_error, fiber_exit, as connection(); stream_open_error
  // while a stream() of this fiber is open (every statement of the fiber, atomic() included).
  result execute(std::string_view sql, std::span<const value> params = {});
  result execute(std::string_view sql, std::initializer_list<value> params) {
    return execute(sql, std::span<const value>(params.begin(), params.size()));
  }
  // execute_prepared: as execute(), through the connection's prepared-statement cache
  // (connection::query_prepared: prepared once per shape per connection, MySQL's binary
  // protocol after). For statements whose text repeats (the ORM's); one-offs: execute().
  result execute_prepared(std::string_view sql, std::span<const value> params = {});
  result query(std::string_view sql, std::span<const value> params = {}) { return execute(sql, params); }
  result query(std::string_view sql, std::initializer_list<value> params) {
    return execute(sql, std::span<const value>(params.begin(), params.size()));
  }

  // stream: runs one statement on the calling fiber's connection and returns its rows one at a
  // time (MySQL unbuffered, SQLite stepped); the connection is claimed until the stream ends.
  // Throws: as execute().
  row_cursor stream(std::string_view sql, std::span<const value> params = {});
  row_cursor stream(std::string_view sql, std::initializer_list<value> params) {
    return stream(sql, std::span<const value>(params.begin(), params.size()));
  }
  // prepare: `sql` prepared on the calling fiber's connection (MySQL: server-side, binary
  // protocol; SQLite: compiled once).
  // Throws: as execute().
  prepared_statement prepare(std::string_view sql);

  // atomic (scope form): begins a transaction, or a savepoint inside one; commit() to keep it.
  // Throws: as execute().
  transaction atomic();
  // atomic (callable form): runs fn() (or fn(transaction&)) inside atomic(); commits on normal
  // return unless fn already ended the transaction; any exception, fiber_exit included,
  // rolls back and propagates. Returns what fn returns.
  template <class F>
  decltype(auto) atomic(F&& fn) {
    transaction tx = atomic();
    if constexpr (std::is_invocable_v<F&, transaction&>) {
      return finish_atomic(tx, [&]() -> decltype(auto) { return fn(tx); });
    } else {
      return finish_atomic(tx, [&]() -> decltype(auto) { return fn(); });
    }
  }

  // connection_scope: the calling fiber's connection goes back to the source (the pool) when
  // the returned scope ends, instead of when the fiber ends; the next statement borrows
  // again. For long-lived fibers: `for (;;) { auto c = db.connection_scope(); ... }`.
  // Throws: misuse_error outside a fiber.
  db::connection_scope connection_scope();

  // atomic (retrying form): as atomic(fn); with options.retry_on_conflict = N, a transaction
  // that lost a conflict (1213: Galera certification at COMMIT, an InnoDB deadlock inside) is
  // rolled back and the whole of fn runs again in a new one, after a jittered back-off, up to
  // N times. Never a single statement, never another error, never when the outcome is unknown
  // (a connection lost during COMMIT), never inside an already open transaction. fn must be
  // safe to run again: its effects outside the database happen once per run.
  // Throws: as atomic(fn); the last conflict once the re-runs are used up.
  template <class F>
  decltype(auto) atomic(F&& fn, const atomic_options& options) {
    for (unsigned attempt = 0;; ++attempt) {
      {
        transaction tx = atomic();
        const bool may_retry = attempt < options.retry_on_conflict && tx.depth() == 1 && !tx.is_savepoint();
        try {
          if constexpr (std::is_invocable_v<F&, transaction&>) {
            return finish_atomic(tx, [&]() -> decltype(auto) { return fn(tx); });
          } else {
            return finish_atomic(tx, [&]() -> decltype(auto) { return fn(); });
          }
        } catch (const error& e) {
          if (!may_retry || !detail::is_conflict(e)) throw;
        }
      }  // tx rolls back here (the server already did), before the back-off
      detail::conflict_backoff(attempt, options);
    }
  }

  // close: releases the calling fiber's connection now (no-op if it has none).
  // Throws: interface_error inside an atomic() scope or with a transaction open (commit or
  // roll back first, as peewee demands).
  void close();
  // True if the calling fiber holds a connection of this database.
  bool is_connected();

  // stats: counts, the fibers holding connections and what they run, abandoned transactions.
  // Fiber-safety: callable from any fiber or thread.
  database_stats stats() const;
  // dump: stats().dump().
  std::string dump() const { return stats().dump(); }
  const std::shared_ptr<connection_source>& source() const noexcept;

 private:
  template <class Op>
  result run_statement(std::string_view sql, std::span<const value> params, Op&& op);
  template <class G>
  static decltype(auto) finish_atomic(transaction& tx, G&& body) {
    if constexpr (std::is_void_v<decltype(body())>) {
      body();
      if (tx.active()) tx.commit();
    } else {
      decltype(auto) out = body();
      if (tx.active()) tx.commit();
      return out;
    }
  }

  std::shared_ptr<detail::database_state> state_;
  fiber_local<detail::slot_handle> local_;  // each fiber's slot; its destructor is the hook
};

}  // namespace fibersql::db
FIBERSQL_PUBLIC_END
