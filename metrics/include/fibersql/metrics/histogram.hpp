#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// A fixed-bucket histogram of durations that many fibers (and threads) may observe into without
// a lock: one relaxed atomic add per bucket hit, one for the sum, one for the count.
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

#include <fibersql/runtime/clock.hpp>

namespace fibersql::metrics {

// Upper bounds (seconds) of the buckets, the same for every duration histogram so that
// dashboards can sum across instances: 100 us .. 10 s, roughly x2.5 apart.
inline constexpr std::array<double, 14> duration_bounds{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                        0.025,  0.05,    0.1,    0.25,  0.5,    1.0,   10.0};

// What a histogram held at one moment: per-bucket counts (not cumulative; the last one is
// the +Inf bucket), their sum in seconds and the total count.
struct histogram_snapshot {
  std::array<std::uint64_t, duration_bounds.size() + 1> buckets{};
  double sum_seconds = 0;
  std::uint64_t count = 0;
};

class duration_histogram {
 public:
  // observe: counts one duration. Fiber-safety: any thread, lock-free.
  void observe(clock::duration d) noexcept;
  // snapshot: the counts now (each field read on its own; a concurrent observe may show in
  // one field and not yet in another).
  histogram_snapshot snapshot() const noexcept;

 private:
  std::array<std::atomic<std::uint64_t>, duration_bounds.size() + 1> buckets_{};
  std::atomic<std::uint64_t> sum_ns_{0};
  std::atomic<std::uint64_t> count_{0};
};

}  // namespace fibersql::metrics
FIBERSQL_PUBLIC_END
