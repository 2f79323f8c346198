// pool_stats::wait_histogram, driven by the sans-IO core and an injected clock: each finished
// wait (served or timed out) lands in the bucket of its duration; a wait still pending is in
// wait_count but not yet in the histogram or wait_duration.
#include <gtest/gtest.h>

#include <numeric>

#include "detail/pool_core.hpp"

namespace fibersql::pool::detail {
namespace {

using namespace std::chrono_literals;

TEST(pool_wait_histogram, finished_waits_land_in_their_bucket) {
  pool::pool_options o;
  o.max_open = 1;
  pool_core c(o);
  time_point now = time_point{} + 1000h;
  pool_waiter a, b, d, pending;
  c.enqueue(a, now);
  c.enqueue(b, now);
  c.enqueue(d, now);
  c.enqueue(pending, now);
  c.cancel(a, now + 1ms, /*timed_out=*/false);  // == the first bound: first bucket
  c.cancel(b, now + 7ms, /*timed_out=*/true);   // (5 ms, 10 ms]: third bucket
  c.cancel(d, now + 40s, /*timed_out=*/true);   // above every bound
  const pool::pool_stats s = c.stats();
  EXPECT_EQ(s.wait_count, 4u);
  EXPECT_EQ(s.timeouts, 2u);
  EXPECT_EQ(s.wait_histogram[0], 1u);
  EXPECT_EQ(s.wait_histogram[1], 0u);
  EXPECT_EQ(s.wait_histogram[2], 1u);
  EXPECT_EQ(s.wait_histogram.back(), 1u);
  EXPECT_EQ(std::accumulate(s.wait_histogram.begin(), s.wait_histogram.end(), std::uint64_t{0}), 3u);
  EXPECT_EQ(s.wait_duration, 1ms + 7ms + 40s);
  c.cancel(pending, now + 2ms, false);
}

}  // namespace
}  // namespace fibersql::pool::detail
