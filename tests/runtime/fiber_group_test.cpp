// fiber_group: a concurrency limit for workers.
#include <stdexcept>

#include "runtime_test.hpp"

namespace fibersql {
namespace {

using namespace std::chrono_literals;
using testing::runtime_test;
class fiber_group_test : public runtime_test {};

TEST_F(fiber_group_test, never_runs_more_than_its_limit) {
  run([] {
    fiber_group group(3);
    int running = 0, peak = 0, done = 0;
    for (int i = 0; i < 20; ++i) {
      group.spawn([&] {
        peak = std::max(peak, ++running);
        this_fiber::sleep_for(1ms);
        --running;
        ++done;
      });
      EXPECT_LE(group.running(), 3u);
    }
    group.join();
    EXPECT_EQ(peak, 3);
    EXPECT_EQ(done, 20);
    EXPECT_EQ(group.running(), 0u);
  });
}

TEST_F(fiber_group_test, join_rethrows_a_member_failure) {
  run([] {
    fiber_group group(2);
    group.spawn([] { throw std::runtime_error("member"); });
    group.spawn([] {});
    EXPECT_THROW(group.join(), std::runtime_error);
  });
}

TEST_F(fiber_group_test, kill_ends_members_and_frees_slots) {
  run([] {
    fiber_group group(2);
    group.spawn([] { this_fiber::sleep_for(1h); });
    group.spawn([] { this_fiber::sleep_for(1h); });
    this_fiber::yield();
    group.kill();
    group.join();
    EXPECT_EQ(group.running(), 0u);
  });
}

TEST_F(fiber_group_test, members_may_outlive_the_group) {
  run([] {
    fiber f;
    {
      fiber_group group(1);
      f = group.spawn([] { this_fiber::sleep_for(1ms); });
    }
    f.join();  // the member was killed by the group's destructor; its slot return is safe
  });
}

TEST_F(fiber_group_test, zero_limit_is_refused) {
  EXPECT_THROW(fiber_group(0), std::invalid_argument);
}

}  // namespace
}  // namespace fibersql
