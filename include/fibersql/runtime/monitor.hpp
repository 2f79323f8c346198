#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Hub health: scheduling latency and a watchdog that names a fiber holding the hub too long.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <fibersql/runtime/clock.hpp>

namespace fibersql {

// A fiber held the hub (did not wait or yield) for longer than the watchdog threshold.
struct blocked_report {
  std::uint64_t fiber_id = 0;
  std::string fiber_name{};
  clock::duration blocked_for{};         // how long the hub had not come back, when reported
  std::vector<std::string> backtrace{};  // frames of the blocking fiber, captured on the hub thread
};

struct monitor_options {
  // How often the latency probe timer is due; each firing records how late it was.
  clock::duration latency_interval = std::chrono::milliseconds(10);
  // Report a fiber that holds the hub longer than this; zero turns the watchdog off.
  clock::duration watchdog_threshold = std::chrono::milliseconds(100);
  // Called on the watchdog thread, once per blocking episode. Default: print to stderr.
  std::function<void(const blocked_report&)> on_blocked{};
};

struct latency_stats {
  std::size_t samples = 0;
  clock::duration p50{}, p99{}, max{};
  std::uint64_t blocked_reports = 0;  // watchdog reports since the monitor started
};

}  // namespace fibersql
FIBERSQL_PUBLIC_END
