// Scoped timeouts: expiry, nesting, and what they do not touch.
#include "runtime_test.hpp"

namespace fibersql {
namespace {

using namespace std::chrono_literals;
using testing::runtime_test;
class timeout_test : public runtime_test {};

TEST_F(timeout_test, expires_a_wait_inside_the_scope) {
  run([] {
    const auto start = clock::now();
    timeout t(20ms);
    try {
      this_fiber::sleep_for(5s);
      FAIL() << "no timeout";
    } catch (const timeout_error& e) {
      EXPECT_TRUE(t.owns(e));
    }
    EXPECT_LT(clock::now() - start, 1s);
  });
}

TEST_F(timeout_test, does_not_fire_when_work_finishes_in_time) {
  run([] {
    timeout t(200ms);
    this_fiber::sleep_for(5ms);
    SUCCEED();
  });
}

TEST_F(timeout_test, inner_shorter_scope_fires_first_and_outer_stays_armed) {
  run([] {
    timeout outer(100ms);
    {
      timeout inner(10ms);
      try {
        this_fiber::sleep_for(1s);
        FAIL();
      } catch (const timeout_error& e) {
        EXPECT_TRUE(inner.owns(e));
        EXPECT_FALSE(outer.owns(e));
      }
    }
    try {
      this_fiber::sleep_for(1s);
      FAIL();
    } catch (const timeout_error& e) {
      EXPECT_TRUE(outer.owns(e));
    }
  });
}

TEST_F(timeout_test, outer_shorter_scope_fires_through_a_longer_inner_one) {
  run([] {
    timeout outer(10ms);
    try {
      timeout inner(1s);
      this_fiber::sleep_for(5s);
      FAIL();
    } catch (const timeout_error& e) {
      EXPECT_TRUE(outer.owns(e));
    }
  });
}

TEST_F(timeout_test, an_expired_scope_also_stops_a_busy_yield_loop) {
  run([] {
    timeout t(10ms);
    EXPECT_THROW(for (;;) this_fiber::yield(), timeout_error);
  });
}

TEST_F(timeout_test, own_deadline_returns_false_while_scope_stays_quiet) {
  run([] {
    timeout t(1s);
    event e;
    EXPECT_FALSE(e.wait(5ms));
  });
}

TEST_F(timeout_test, scope_ends_with_its_block) {
  run([] {
    { timeout t(5ms); }
    this_fiber::sleep_for(20ms);  // the dead scope must not fire here
    SUCCEED();
  });
}

TEST_F(timeout_test, outside_a_fiber_is_a_clear_error) {
  hub h;
  EXPECT_THROW(timeout(1s), misuse_error);
}

}  // namespace
}  // namespace fibersql
