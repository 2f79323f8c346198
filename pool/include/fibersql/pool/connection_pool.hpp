#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// A bounded, fiber-aware connection pool: acquire() blocks only the calling fiber, waiters are
// served in arrival order, and a background fiber keeps connections warm, young and alive.
#include <functional>
#include <memory>
#include <string>

#include <fibersql/db/connection_source.hpp>
#include <fibersql/pool/options.hpp>
#include <fibersql/pool/pooled_connection.hpp>
#include <fibersql/pool/stats.hpp>
#include <fibersql/sql/connection.hpp>

namespace fibersql::pool::detail {
class pool_impl;
}

namespace fibersql::pool {

// Opens one new connection (any backend). Called from the fiber that needs it (a borrower or
// the maintenance fiber). Throws what the backend's open throws.
using connection_factory = std::function<std::unique_ptr<connection>()>;

class connection_pool {
 public:
  // connection_pool: a pool that opens connections with `factory`. Opens nothing yet: the
  // first acquire() starts the maintenance fiber (and the min_idle refill) on its hub.
  // Throws: std::invalid_argument for bad options (validate()) or an empty factory.
  // Fiber-safety: a pool belongs to one hub at a time; use it only from that hub's fibers.
  explicit connection_pool(connection_factory factory, pool_options options = {});
  // connection_pool: a pool over another source (db::url_source, say): connections come from
  // upstream->acquire() as leases, and each goes back through its lease when the pool closes it.
  // Throws: std::invalid_argument for bad options or a null upstream.
  explicit connection_pool(std::shared_ptr<db::connection_source> upstream, pool_options options = {});
  // Closes the pool (close()); connections still borrowed are closed when returned.
  ~connection_pool();
  connection_pool(const connection_pool&) = delete;
  connection_pool& operator=(const connection_pool&) = delete;

  // acquire: a healthy connection, waiting (FIFO) while max_open are in use. An idle
  // connection is reused (most recently returned first) after a reset or ping when due; one
  // that fails that check is closed and another is tried, until acquire_timeout. No statement
  // is ever re-run: only getting a connection is retried.
  // Throws: pool_timeout (naming the limits and the number of waiting fibers) after
  // acquire_timeout; operational_error from the factory when a new connection cannot be opened
  // (not retried: the caller decides); interface_error once the pool is closed; fiber_exit;
  // timeout_error for an enclosing timeout scope; misuse_error outside a fiber.
  pooled_connection acquire();

  // stats: gauges and counters now (Go's DBStats).
  pool_stats stats() const;
  const pool_options& options() const noexcept;
  // describe: "pool 'name' (max_open=20)", for errors and logs.
  std::string describe() const;

  // close: refuses further acquires (waiters get interface_error), closes idle connections,
  // stops the maintenance fiber. Idempotent. Never throws.
  void close() noexcept;

 private:
  std::shared_ptr<detail::pool_impl> impl_;
};

}  // namespace fibersql::pool
FIBERSQL_PUBLIC_END
