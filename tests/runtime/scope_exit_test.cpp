// scope_exit: the one cleanup guard runs exactly once, however its scope ends.
#include <fibersql/runtime/detail/scope_exit.hpp>

#include <stdexcept>
#include <utility>

#include "runtime_test.hpp"

namespace fibersql::detail {
namespace {

using namespace std::chrono_literals;
using fibersql::testing::runtime_test;
class scope_exit_test : public runtime_test {};

TEST_F(scope_exit_test, runs_when_the_scope_returns) {
  int runs = 0;
  {
    scope_exit guard = [&]() noexcept { ++runs; };
    EXPECT_EQ(runs, 0);
  }
  EXPECT_EQ(runs, 1);
}

TEST_F(scope_exit_test, runs_when_an_exception_leaves_the_scope) {
  int runs = 0;
  EXPECT_THROW(
      {
        scope_exit guard = [&]() noexcept { ++runs; };
        throw std::runtime_error("boom");
      },
      std::runtime_error);
  EXPECT_EQ(runs, 1);
}

TEST_F(scope_exit_test, runs_when_a_killed_fiber_unwinds) {
  int runs = 0;
  run([&] {
    fiber f = spawn([&] {
      scope_exit guard = [&]() noexcept { ++runs; };
      this_fiber::sleep_for(10s);
    });
    this_fiber::yield();
    f.kill();
    f.join();
    EXPECT_TRUE(f.killed());
  });
  EXPECT_EQ(runs, 1);
}

TEST_F(scope_exit_test, cancel_keeps_it_from_running) {
  int runs = 0;
  {
    scope_exit guard = [&]() noexcept { ++runs; };
    std::move(guard).cancel();
  }
  EXPECT_EQ(runs, 0);
}

TEST_F(scope_exit_test, invoke_runs_it_now_and_only_once) {
  int runs = 0;
  {
    scope_exit guard = [&]() noexcept { ++runs; };
    std::move(guard).invoke();
    EXPECT_EQ(runs, 1);
  }
  EXPECT_EQ(runs, 1);
}

TEST_F(scope_exit_test, a_move_hands_the_duty_to_the_new_guard) {
  int runs = 0;
  {
    scope_exit outer = [&]() noexcept { ++runs; };
    {
      scope_exit inner = std::move(outer);
      EXPECT_EQ(runs, 0);
    }
    EXPECT_EQ(runs, 1);
  }
  EXPECT_EQ(runs, 1);
}

}  // namespace
}  // namespace fibersql::detail
