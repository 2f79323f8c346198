#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Settings of a connection pool, with defaults that suit a typical web service talking to one
// MariaDB server: they follow HikariCP's (lifetime 30 min, idle 10 min, acquire 30 s, liveness
// check after 500 ms idle, keepalive 2 min) because those have years of production behind them.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include <fibersql/runtime/clock.hpp>

namespace fibersql::pool {

// What a leak report says: the connection has been borrowed longer than leak_threshold.
struct leak_report {
  std::string pool_name{};             // pool_options::name
  std::uint64_t fiber_id = 0;          // fiber that borrowed it (0 if borrowed outside any fiber)
  std::string fiber_name{};            // that fiber's name, empty if unnamed
  clock::duration held_for{};          // time since it was borrowed
  std::uint64_t server_thread_id = 0;  // the session's CONNECTION_ID() (0 for SQLite)
};

struct pool_options {
  // Connections open at once: borrowed + idle + being opened or checked. >= 1.
  std::size_t max_open = 10;
  // Idle connections kept for reuse; a connection returned while this many idle is closed
  // (counted in max_idle_closed); 0 keeps none. A value above max_open is lowered to
  // max_open, as Go's SetMaxOpenConns lowers MaxIdleConns, so {.max_open = 4} just works.
  std::size_t max_idle = 10;
  // Idle connections kept warm by the maintenance fiber (opened ahead of demand, and never
  // retired for idleness below this count). <= max_idle.
  std::size_t min_idle = 0;
  // A connection is closed once this old (at return, or while idle); zero means never.
  // Keep it a little below the server's wait_timeout.
  clock::duration max_lifetime = std::chrono::minutes(30);
  // Each connection's lifetime is shortened by a random fraction in [0, this) of max_lifetime,
  // so connections opened together do not all expire together. In [0, 0.5].
  double max_lifetime_jitter = 0.05;
  // An idle connection unused this long is closed (while more than min_idle are idle);
  // zero means never.
  clock::duration max_idle_time = std::chrono::minutes(10);
  // How long acquire() waits for a connection before throwing pool_timeout. > 0.
  clock::duration acquire_timeout = std::chrono::seconds(30);
  // A connection idle at least this long is pinged before it is handed out (unless a reset
  // is due, which proves liveness anyway). Zero pings every time; duration::max() never.
  clock::duration validate_after_idle = std::chrono::milliseconds(500);
  // Longest a liveness check (ping, reset) by the pool may take. > 0.
  clock::duration validation_timeout = std::chrono::seconds(5);
  // Idle connections are pinged this often, so firewalls and wait_timeout do not cut them;
  // zero disables.
  clock::duration keepalive_interval = std::chrono::minutes(2);
  // A connection borrowed longer than this is reported through on_leak (once per borrow; it
  // is not closed); zero disables.
  clock::duration leak_threshold = clock::duration::zero();
  // Receives leak reports; when empty, reports go to stderr. Runs in the maintenance fiber:
  // must not throw, should not block long.
  std::function<void(const leak_report&)> on_leak{};
  // Reset session state (COM_RESET_CONNECTION / rollback) before the next borrower gets a
  // returned connection. pooled_connection::return_without_reset() skips it for one return.
  bool reset_on_return = true;
  // Under a db::database (make_database): give the connection back after every statement run
  // outside a transaction and outside a connection_scope, as Go's database/sql does, instead
  // of lending it for the fiber's whole life. Session state (temporary tables, session
  // variables, SET statements, LAST_INSERT_ID()) is then NOT kept from one statement to the
  // next: the next statement may get another connection (reset, with reset_on_return).
  // Off by default; db.connection_scope() is the explicit alternative.
  bool return_after_each_statement = false;
  // Longest sleep of the maintenance fiber between checks of expiry, keepalive, leaks and
  // min_idle. > 0.
  clock::duration housekeeping_period = std::chrono::seconds(1);
  // Names the pool in errors, stats and leak reports.
  std::string name = "pool";
};

// validate: checks every field and names the first bad one and why (max_idle above max_open
// included: the pool applies clamped() first).
// Throws: std::invalid_argument.
void validate(const pool_options& options);

// clamped: `options` with max_idle lowered to max_open where it exceeds it; what the pool uses.
pool_options clamped(pool_options options);

}  // namespace fibersql::pool
FIBERSQL_PUBLIC_END
