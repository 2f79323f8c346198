// duration_histogram: a value on a bound lands in that bound's bucket (Prometheus `le`), the
// sum and count add up, and concurrent observers from several threads lose nothing.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include <fibersql/metrics/histogram.hpp>

namespace fibersql::metrics {
namespace {

using namespace std::chrono_literals;

TEST(duration_histogram, buckets_are_less_or_equal_bounds) {
  duration_histogram h;
  h.observe(100us);  // == first bound
  h.observe(101us);  // second bucket
  h.observe(0ns);    // first bucket
  h.observe(20s);    // above every bound: +Inf
  const histogram_snapshot s = h.snapshot();
  EXPECT_EQ(s.buckets[0], 2u);
  EXPECT_EQ(s.buckets[1], 1u);
  EXPECT_EQ(s.buckets.back(), 1u);
  EXPECT_EQ(s.count, 4u);
  EXPECT_NEAR(s.sum_seconds, 20.000201, 1e-9);
}

TEST(duration_histogram, concurrent_observers_lose_nothing) {
  duration_histogram h;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&h] {
      for (int i = 0; i < 100000; ++i) h.observe(1ms);
    });
  }
  for (auto& t : threads) t.join();
  const histogram_snapshot s = h.snapshot();
  EXPECT_EQ(s.count, 400000u);
  EXPECT_EQ(s.buckets[3], 400000u);  // bound 0.001
  EXPECT_NEAR(s.sum_seconds, 400.0, 1e-6);
}

}  // namespace
}  // namespace fibersql::metrics
