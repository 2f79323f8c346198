#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// A snapshot of a pool's gauges and counters, shaped like Go's sql.DBStats.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <fibersql/runtime/clock.hpp>

namespace fibersql::pool {

// Upper bounds of pool_stats::wait_histogram's buckets (Prometheus `le`): 1 ms .. 30 s.
inline constexpr std::array<clock::duration, 10> wait_bounds{
    std::chrono::milliseconds(1),  std::chrono::milliseconds(5),   std::chrono::milliseconds(10),
    std::chrono::milliseconds(50), std::chrono::milliseconds(100), std::chrono::milliseconds(500),
    std::chrono::seconds(1),       std::chrono::seconds(5),        std::chrono::seconds(10),
    std::chrono::seconds(30)};
// One server's share of a pool's connections (a node of a multi-host URL).
struct pool_host_stats {
  std::string endpoint{};           // connection::endpoint(): "host:port"; empty for SQLite
  std::size_t open = 0;             // gauge: the pool's connections to it now
  std::uint64_t opened = 0;         // counter: connections opened to it
  std::uint64_t closed = 0;         // counter: connections to it closed, for any reason
  std::uint64_t broken_closed = 0;  // counter: of those, closed as broken or failing a check
};

struct pool_stats {
  // Gauges, at the moment of the snapshot.
  std::size_t max_open = 0;  // pool_options::max_open
  std::size_t open = 0;      // connections open or being opened (in_use + idle + in transit)
  std::size_t in_use = 0;    // borrowed by callers
  std::size_t idle = 0;      // ready for the next acquire()
  std::size_t waiters = 0;   // fibers waiting in acquire()

  // Counters, since the pool was created.
  std::uint64_t wait_count = 0;     // acquire() calls that had to wait
  clock::duration wait_duration{};  // total time those waited (finished waits)
  // Finished waits by duration: [i] counts waits of at most wait_bounds[i] (and more than the
  // bound before); the last entry those longer than every bound. Not cumulative.
  std::array<std::uint64_t, wait_bounds.size() + 1> wait_histogram{};
  std::uint64_t max_idle_closed = 0;  // closed on return because max_idle were idle
  std::uint64_t max_lifetime_closed = 0;
  std::uint64_t max_idle_time_closed = 0;
  std::uint64_t broken_closed = 0;  // broken on return, or failed a ping/reset/rollback
  std::uint64_t opened = 0;         // connections opened successfully
  std::uint64_t open_failures = 0;  // factory calls that threw
  std::uint64_t timeouts = 0;       // acquire() calls that threw pool_timeout
  std::uint64_t leaks_reported = 0;

  // Per server, in first-seen order (one entry for a single-host URL).
  std::vector<pool_host_stats> hosts{};
};

}  // namespace fibersql::pool
FIBERSQL_PUBLIC_END
