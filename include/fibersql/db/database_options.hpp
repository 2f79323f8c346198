#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Settings of one database object.
#include <chrono>
#include <cstddef>
#include <functional>

#include <fibersql/db/abandoned_transaction.hpp>
#include <fibersql/db/statement_event.hpp>
#include <fibersql/runtime/clock.hpp>

namespace fibersql::db {

struct database_options {
  // Called (in the dying fiber, from the fiber-exit hook) when a fiber ended with a transaction
  // open. Must not throw; it may not wait either (kills are held back, but keep it short).
  // Default: print one line to stderr.
  std::function<void(const abandoned_transaction&)> on_abandoned_transaction{};
  // How many abandoned-transaction reports stats() keeps (the newest ones); the total count
  // is kept regardless.
  std::size_t abandoned_history = 64;
  // Upper bound on the hook's rollback of a transaction left open: a server that does not
  // answer in time gets the connection discarded instead (closing it rolls back).
  clock::duration exit_rollback_timeout = std::chrono::seconds(5);
  // Statements longer than this (bytes) are truncated in stats and reports.
  std::size_t statement_text_limit = 256;
  // Called on the statement's fiber after every statement the database runs (execute/query,
  // raw or from the ORM, and atomic()'s BEGIN/SAVEPOINT/COMMIT/ROLLBACK), successful or not:
  // for statement counters, slow-query logs and metrics. Must not throw (an exception from it
  // is discarded) and should not wait. Default: none (no clock is read).
  std::function<void(const statement_event&)> on_statement{};
};

}  // namespace fibersql::db
FIBERSQL_PUBLIC_END
