#include <fibersql/metrics/statement_metrics.hpp>

namespace fibersql::metrics {

void statement_metrics::record(const db::statement_event& e) noexcept {
  count_.fetch_add(1, std::memory_order_relaxed);
  if (e.error) errors_.fetch_add(1, std::memory_order_relaxed);
  duration_.observe(e.duration);
}

statement_snapshot statement_metrics::snapshot() const noexcept {
  return {count_.load(std::memory_order_relaxed), errors_.load(std::memory_order_relaxed), duration_.snapshot()};
}

}  // namespace fibersql::metrics
