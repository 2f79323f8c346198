// Per-server counts of a pool's connections.
#include "detail/host_tally.hpp"

namespace fibersql::pool::detail {

pool::pool_host_stats& host_tally::find_locked(const std::string& endpoint) {
  for (auto& h : hosts_)
    if (h.endpoint == endpoint) return h;
  auto& h = hosts_.emplace_back();
  h.endpoint = endpoint;
  return h;
}

void host_tally::opened(const connection& c) {
  const std::string endpoint = c.endpoint();
  std::lock_guard lock(mutex_);
  pool::pool_host_stats& h = find_locked(endpoint);
  ++h.open;
  ++h.opened;
}

void host_tally::closed(const connection& c, bool broken) noexcept {
  try {
    const std::string endpoint = c.endpoint();
    std::lock_guard lock(mutex_);
    pool::pool_host_stats& h = find_locked(endpoint);
    if (h.open > 0) --h.open;
    ++h.closed;
    if (broken) ++h.broken_closed;
  } catch (...) {
    // Out of memory for a counter: the pool's return path must not throw; the count is lost.
  }
}

std::vector<pool::pool_host_stats> host_tally::snapshot() const {
  std::lock_guard lock(mutex_);
  return hosts_;
}

}  // namespace fibersql::pool::detail
