#pragma once
// Per-server counts of a pool's connections (pool_stats::hosts): which node of a multi-host
// URL the pool's connections sit on, and how many each node lost as broken.
#include <mutex>
#include <vector>

#include <fibersql/pool/stats.hpp>
#include <fibersql/sql/connection.hpp>

namespace fibersql::pool::detail {

class host_tally {
 public:
  // opened / closed: a connection to c.endpoint() was opened / closed (broken: it failed).
  void opened(const connection& c);
  void closed(const connection& c, bool broken) noexcept;
  std::vector<pool::pool_host_stats> snapshot() const;

 private:
  pool::pool_host_stats& find_locked(const std::string& endpoint);
  mutable std::mutex mutex_;                  // guards hosts_ (stats() may run on any thread)
  std::vector<pool::pool_host_stats> hosts_;  // first-seen order; few entries
};

}  // namespace fibersql::pool::detail
