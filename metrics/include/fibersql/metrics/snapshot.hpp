#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// One metrics snapshot of the whole process: every pool, database, hub and statement counter
// a registry holds, each under the name it was registered with.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <fibersql/metrics/statement_metrics.hpp>
#include <fibersql/pool/stats.hpp>
#include <fibersql/runtime/monitor.hpp>

namespace fibersql::metrics {

struct pool_entry {
  std::string name{};
  pool::pool_stats stats{};
};

struct database_entry {
  std::string name{};
  std::size_t fiber_connections = 0;         // connections held by fibers now
  std::uint64_t abandoned_transactions = 0;  // rolled back by the fiber-exit hook, since creation
  std::uint64_t acquire_failures = 0;        // acquire() calls that threw, since creation
};

struct hub_entry {
  std::string name{};
  latency_stats latency{};       // zero samples unless the hub's monitor runs
  std::size_t ready_fibers = 0;  // fibers in the ready queues at the snapshot
  std::size_t live_fibers = 0;
};

struct statements_entry {
  std::string name{};
  statement_snapshot stats{};
};

struct snapshot {
  std::vector<pool_entry> pools{};
  std::vector<database_entry> databases{};
  std::vector<hub_entry> hubs{};
  std::vector<statements_entry> statements{};

  // merge: appends `other`'s entries (one registry per hub, one snapshot for the process).
  void merge(snapshot other);
};

}  // namespace fibersql::metrics
FIBERSQL_PUBLIC_END
