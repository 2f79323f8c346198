// Fiber stacks: size per spawn, reuse, and the guard page.
#include <string>

#include "runtime_test.hpp"

namespace fibersql {
namespace {

using namespace std::chrono_literals;
using testing::runtime_test;
class stack_pool_test : public runtime_test {};

// Deep enough recursion to walk off any small stack; volatile keeps the frames real.
int recurse(int depth) {
  volatile char frame[512];
  frame[0] = static_cast<char>(depth);
  if (depth == 0) return frame[0];
  return recurse(depth - 1) + frame[0];
}

TEST_F(stack_pool_test, a_bigger_stack_allows_deeper_recursion) {
  run([] {
    int out = 0;
    spawn([&] { out = recurse(1500); }, {.stack_size = 2 * 1024 * 1024}).join();
    EXPECT_NE(out, -1);
  });
}

TEST_F(stack_pool_test, many_short_fibers_reuse_stacks) {
  run([] {
    for (int round = 0; round < 50; ++round) {
      std::vector<fiber> fibers;
      for (int i = 0; i < 200; ++i) fibers.push_back(spawn([] { this_fiber::yield(); }));
      join_all(fibers);
    }
    SUCCEED();
  });
}

using stack_pool_death_test = stack_pool_test;

TEST_F(stack_pool_death_test, overflow_hits_the_guard_page) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(run([] { spawn([] { recurse(100000); }, {.stack_size = 64 * 1024}).join(); }), "");
}

}  // namespace
}  // namespace fibersql
