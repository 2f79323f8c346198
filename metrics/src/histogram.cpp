#include <fibersql/metrics/histogram.hpp>

#include <chrono>

namespace fibersql::metrics {

void duration_histogram::observe(clock::duration d) noexcept {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
  const double seconds = static_cast<double>(ns) / 1e9;
  std::size_t i = 0;
  while (i < duration_bounds.size() && seconds > duration_bounds[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(ns > 0 ? static_cast<std::uint64_t>(ns) : 0, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

histogram_snapshot duration_histogram::snapshot() const noexcept {
  histogram_snapshot s;
  for (std::size_t i = 0; i < buckets_.size(); ++i) s.buckets[i] = buckets_[i].load(std::memory_order_relaxed);
  s.sum_seconds = static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9;
  s.count = count_.load(std::memory_order_relaxed);
  return s;
}

}  // namespace fibersql::metrics
