#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Options of database::atomic(fn, options): the explicit opt-in to re-run a transaction that
// lost a conflict (a Galera certification failure or an InnoDB deadlock, errno 1213).
#include <chrono>

#include <fibersql/runtime/clock.hpp>

namespace fibersql {
class error;
}

namespace fibersql::db {

struct atomic_options {
  // How many times the whole callable may run again, each time in a new transaction, after the
  // transaction failed with 1213 (SQLSTATE 40001) at COMMIT or inside. 0 (the default): never.
  // Only an outermost atomic() retries: inside an open transaction the conflict has rolled
  // back the whole of it, so it propagates to the scope that began it.
  unsigned retry_on_conflict = 0;
  // Back-off before re-run k (0-based): a random time in [d/2, d] with d = retry_backoff * 2^k,
  // capped at retry_backoff_max. The jitter keeps two losers from colliding again in step.
  clock::duration retry_backoff = std::chrono::milliseconds(5);
  clock::duration retry_backoff_max = std::chrono::milliseconds(200);
};

namespace detail {
// is_conflict: true for a lost conflict whose transaction the server rolled back entirely and
// whose session is intact (1213 with SQLSTATE 40001, not poisoning the connection). A lost
// connection — the outcome of a COMMIT then unknown — is never a conflict.
bool is_conflict(const error& e) noexcept;
// conflict_backoff: parks the calling fiber for the jittered back-off of re-run `attempt`.
// Throws: fiber_exit, timeout_error (as this_fiber::sleep_for).
void conflict_backoff(unsigned attempt, const atomic_options& options);
}  // namespace detail

}  // namespace fibersql::db
FIBERSQL_PUBLIC_END
