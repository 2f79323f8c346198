// offload(): blocking work on a bounded worker pool while the calling fiber waits.
#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>

#include "runtime_test.hpp"

namespace fibersql {
namespace {

using namespace std::chrono_literals;
using testing::runtime_test;
class offload_test : public runtime_test {};

TEST_F(offload_test, value_comes_back_computed_on_a_worker_thread) {
  thread_pool pool(2);
  run([&] {
    const auto hub_thread = std::this_thread::get_id();
    const auto [value, where] = offload(pool, [] {
      return std::pair{std::string("forty-two"), std::this_thread::get_id()};
    });
    EXPECT_EQ(value, "forty-two");
    EXPECT_NE(where, hub_thread);
    offload(pool, [] {});  // void functions too
  });
}

TEST_F(offload_test, exception_is_rethrown_in_the_fiber) {
  thread_pool pool(1);
  run([&] {
    try {
      offload(pool, []() -> int { throw std::out_of_range("worker says no"); });
      ADD_FAILURE() << "no exception";
    } catch (const std::out_of_range& e) {
      EXPECT_STREQ(e.what(), "worker says no");
    }
  });
}

TEST_F(offload_test, shared_pool_runs_work_too) {
  run([] { EXPECT_EQ(offload([] { return 7; }), 7); });
  EXPECT_EQ(thread_pool::shared().size(), thread_pool::default_threads());
}

TEST_F(offload_test, killed_waiter_stops_waiting_and_does_not_wedge_the_pool) {
  thread_pool pool(1);
  std::atomic<bool> finished{false};
  run([&] {
    auto waiter = spawn([&] {
      offload(pool, [&] {
        std::this_thread::sleep_for(50ms);
        finished = true;
        return std::string("dropped");
      });
      ADD_FAILURE() << "a killed waiter returned";
    });
    this_fiber::sleep_for(5ms);
    const auto killed_at = clock::now();
    waiter.kill();
    waiter.join();
    EXPECT_TRUE(waiter.killed());
    EXPECT_LT(clock::now() - killed_at, 40ms) << "the fiber stopped waiting at once";
    EXPECT_FALSE(finished.load()) << "the function is still running on its thread";
    EXPECT_EQ(offload(pool, [] { return 1; }), 1) << "the pool's one worker is free again";
    EXPECT_TRUE(finished.load());
  });
}

TEST_F(offload_test, timeout_scope_stops_the_wait) {
  thread_pool pool(1);
  run([&] {
    timeout t(10ms);
    try {
      offload(pool, [] { std::this_thread::sleep_for(60ms); });
      ADD_FAILURE() << "no timeout";
    } catch (const timeout_error& e) {
      EXPECT_TRUE(t.owns(e));
    }
  });
}

TEST_F(offload_test, the_bound_holds) {
  thread_pool pool(3);
  std::atomic<int> running{0}, most{0};
  run([&] {
    std::vector<fiber> fibers;
    for (int i = 0; i < 12; ++i) {
      fibers.push_back(spawn([&] {
        offload(pool, [&] {
          const int now = ++running;
          int seen = most.load();
          while (now > seen && !most.compare_exchange_weak(seen, now)) {
          }
          std::this_thread::sleep_for(10ms);
          --running;
        });
      }));
    }
    join_all(fibers);
  });
  EXPECT_EQ(most.load(), 3);
  EXPECT_EQ(pool.stats().started, 12u);
}

TEST_F(offload_test, hub_latency_stays_low_while_8_functions_sleep_100ms) {
  thread_pool pool(8);
  run([&] {
    hub::current().start_monitor({.latency_interval = 1ms, .watchdog_threshold = 0ms});
    const auto started = clock::now();
    std::vector<fiber> fibers;
    for (int i = 0; i < 8; ++i) {
      fibers.push_back(spawn([&] { offload(pool, [] { std::this_thread::sleep_for(100ms); }); }));
    }
    join_all(fibers);
    const auto took = clock::now() - started;
    const latency_stats s = hub::current().latency();
    hub::current().stop_monitor();
    EXPECT_LT(took, 400ms) << "the 8 ran side by side, not one after another";
    EXPECT_GE(s.samples, 20u);
    // Generous bound (shared 2-core machine, sanitized builds): the point is "not 100 ms", which
    // is what a hub blocked by one of the sleeps would show.
    EXPECT_LT(s.max, 90ms);
  });
}

TEST_F(offload_test, shielded_waiter_waits_for_the_function_then_sees_its_kill) {
  thread_pool pool(1);
  run([&] {
    bool finished = false, returned = false;
    auto waiter = spawn([&] {
      offload_shielded(pool, [&] {  // by reference: the fiber outlives the call
        std::this_thread::sleep_for(40ms);
        finished = true;
      });
      returned = true;
      this_fiber::yield();  // the held-back kill lands here
      ADD_FAILURE() << "the kill was lost";
    });
    this_fiber::sleep_for(5ms);
    waiter.kill();
    waiter.join();
    EXPECT_TRUE(finished);
    EXPECT_TRUE(returned) << "the wait ended only when the function had";
    EXPECT_TRUE(waiter.killed());
  });
}

TEST_F(offload_test, shielded_wait_outlasts_a_timeout_scope_which_fires_at_the_next_wait) {
  thread_pool pool(1);
  run([&] {
    timeout t(5ms);
    EXPECT_EQ(offload_shielded(pool,
                               [] {
                                 std::this_thread::sleep_for(30ms);
                                 return 3;
                               }),
              3);
    EXPECT_THROW(this_fiber::yield(), timeout_error);
  });
}

TEST_F(offload_test, zero_threads_is_rejected) {
  EXPECT_THROW(thread_pool(0), std::invalid_argument);
}

}  // namespace
}  // namespace fibersql
