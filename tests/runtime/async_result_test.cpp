// async_result<T>: one-shot values and exceptions, same hub and across hubs.
#include <stdexcept>
#include <thread>

#include "runtime_test.hpp"

namespace fibersql {
namespace {

using namespace std::chrono_literals;
using testing::runtime_test;
class async_result_test : public runtime_test {};

TEST_F(async_result_test, value_reaches_every_waiter) {
  run([] {
    async_result<int> r;
    int seen = 0;
    auto a = spawn([&] { seen += r.get(); });
    auto b = spawn([&] { seen += r.get(); });
    this_fiber::yield();
    r.set_value(21);
    join_all(std::vector<fiber>{a, b});
    EXPECT_EQ(seen, 42);
    EXPECT_EQ(r.get(), 21);
  });
}

TEST_F(async_result_test, exception_is_rethrown_to_the_waiter) {
  run([] {
    async_result<void> r;
    spawn([r]() mutable { r.set_exception(std::make_exception_ptr(std::runtime_error("bad"))); });
    EXPECT_THROW(r.get(), std::runtime_error);
  });
}

TEST_F(async_result_test, set_twice_is_misuse) {
  run([] {
    async_result<int> r;
    r.set_value(1);
    EXPECT_THROW(r.set_value(2), misuse_error);
  });
}

TEST_F(async_result_test, get_times_out) {
  run([] {
    async_result<int> r;
    EXPECT_THROW(r.get(5ms), timeout_error);
    r.set_value(3);
    EXPECT_EQ(r.get(5ms), 3);
  });
}

TEST_F(async_result_test, set_from_a_plain_thread_wakes_the_fiber) {
  run([] {
    async_result<std::string> r;
    std::thread t([r]() mutable {
      std::this_thread::sleep_for(10ms);
      r.set_value("from thread");
    });
    EXPECT_EQ(r.get(2s), "from thread");
    t.join();
  });
}

TEST_F(async_result_test, timeout_racing_a_remote_set_never_loses_the_fiber) {
  run([] {
    for (int i = 0; i < 200; ++i) {
      async_result<int> r;
      std::thread t([r]() mutable { r.set_value(1); });
      try {
        r.get(std::chrono::microseconds(i % 50));
      } catch (const timeout_error&) {
      }
      t.join();
      EXPECT_EQ(r.get(1s), 1);
    }
  });
}

}  // namespace
}  // namespace fibersql
