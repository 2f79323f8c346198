#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Per-host health for multi-host URLs: a host whose connect failed is skipped for a back-off
// period, and a background fiber probes it (a full connect, with wsrep_check when the URL
// asks) before any connect uses it again. Process-wide, keyed by "host:port".
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <fibersql/runtime/clock.hpp>

namespace fibersql::mysql {

struct host_stats {
  std::string host;  // as written in the URL
  unsigned port = 0;
  bool down = false;           // skipped by connects until a probe succeeds
  bool probing = false;        // a probe fiber is running for it
  std::uint64_t connects = 0;  // connects that succeeded (probes not counted)
  std::uint64_t failures = 0;  // connects that failed (probes not counted)
  std::uint64_t skipped = 0;   // times a connect passed it over because it was down
  std::uint64_t probes = 0;    // probe connects made
  std::uint64_t probe_failures = 0;
  clock::duration backoff{};  // current back-off (doubles per failed probe, capped)
};

// host_health: a snapshot of every host a multi-host connect has seen, in first-seen order.
// Fiber-safety: any thread.
std::vector<host_stats> host_health();
// host_health(host, port): that host's snapshot (all zero if never seen).
host_stats host_health(const std::string& host, unsigned port);

}  // namespace fibersql::mysql
FIBERSQL_PUBLIC_END
