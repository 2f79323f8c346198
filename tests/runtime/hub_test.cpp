// Hubs: one per thread, cross-thread post, dumps, shutdown, deadlock detection, priorities.
#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "assert_switches.hpp"
#include "runtime_test.hpp"

namespace fibersql {
namespace {

using namespace std::chrono_literals;
using testing::runtime_test;
class hub_test : public runtime_test {};

TEST_F(hub_test, second_hub_on_one_thread_is_refused) {
  hub h;
  EXPECT_THROW(hub{}, misuse_error);
}

TEST_F(hub_test, using_a_hub_from_another_thread_is_a_clear_error) {
  hub h;
  std::string message;
  std::thread other([&] {
    try {
      h.run();
    } catch (const misuse_error& e) {
      message = e.what();
    }
  });
  other.join();
  EXPECT_NE(message.find("belongs to thread"), std::string::npos) << message;
}

// What the README's first example relies on: a worker's failure, rethrown by join_all in the
// main fiber, leaves run() as that same exception (type and message) while other fibers are
// still waiting; they are killed and their cleanup runs before run() returns.
struct too_many_connections : std::runtime_error {
  using std::runtime_error::runtime_error;
};

TEST_F(hub_test, an_exception_escaping_run_reaches_its_caller_as_that_exception) {
  int cleaned_up = 0;
  try {
    run([&] {
      std::vector<fiber> workers;
      for (int i = 0; i < 10; ++i) {
        workers.push_back(spawn([&, i] {
          struct cleanup {
            int& n;
            ~cleanup() { ++n; }
          } guard{cleaned_up};
          if (i == 3) throw too_many_connections("1040 Too many connections");
          this_fiber::sleep_for(1h);
        }));
      }
      workers[3].join();  // rethrows the worker's failure in the main fiber
    });
    FAIL() << "run() returned normally";
  } catch (const too_many_connections& e) {
    EXPECT_STREQ(e.what(), "1040 Too many connections");
  }
  EXPECT_EQ(cleaned_up, 10) << "every worker's cleanup ran before run() returned";
  EXPECT_EQ(hub::current_or_null(), nullptr);
}

TEST_F(hub_test, post_runs_work_on_another_hub_and_join_comes_back_through_it) {
  hub_thread worker;
  run([&] {
    async_result<std::thread::id> where;
    worker.get().post([where]() mutable {
      this_fiber::sleep_for(5ms);  // it really runs as a fiber there
      where.set_value(std::this_thread::get_id());
    });
    EXPECT_NE(where.get(2s), std::this_thread::get_id());
  });
}

TEST_F(hub_test, many_threads_post_concurrently) {
  hub_thread a, b;
  run([&] {
    constexpr int per_thread = 200;
    std::vector<async_result<int>> results(2 * per_thread);
    std::thread t1([&] {
      for (int i = 0; i < per_thread; ++i) a.get().post([r = results[i], i]() mutable { r.set_value(i); });
    });
    std::thread t2([&] {
      for (int i = per_thread; i < 2 * per_thread; ++i) b.get().post([r = results[i], i]() mutable { r.set_value(i); });
    });
    long sum = 0;
    for (auto& r : results) sum += r.get(5s);
    t1.join();
    t2.join();
    EXPECT_EQ(sum, (2L * per_thread - 1) * (2L * per_thread) / 2);
  });
}

TEST_F(hub_test, deadlock_is_detected_not_a_hang) {
  try {
    run([] {
      event never;
      never.wait();
    });
    FAIL() << "deadlock not detected";
  } catch (const misuse_error& e) {
    EXPECT_NE(std::string(e.what()).find("deadlock"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("main"), std::string::npos) << e.what();
  }
}

TEST_F(hub_test, dump_lists_fibers_with_what_they_wait_on) {
  run([] {
    event e;
    spawn([&] { e.wait(); }, {.name = "event-waiter"});
    spawn([] { this_fiber::sleep_for(1h); }, {.name = "sleeper"});
    this_fiber::sleep_for(20ms);
    const auto fibers = hub::current().dump();
    ASSERT_EQ(fibers.size(), 3u);
    bool saw_sleeper = false, saw_waiter = false;
    for (const auto& f : fibers) {
      if (f.name == "sleeper") {
        saw_sleeper = true;
        EXPECT_EQ(f.state, "waiting");
        EXPECT_EQ(f.waiting_on, "sleep");
        EXPECT_GE(f.waiting_for, 15ms);
      }
      if (f.name == "event-waiter") {
        saw_waiter = true;
        EXPECT_EQ(f.waiting_on, "event");
      }
      if (f.name == "main") {
        EXPECT_EQ(f.state, "running");
      }
    }
    EXPECT_TRUE(saw_sleeper && saw_waiter);
    EXPECT_NE(hub::current().dump_text().find("'sleeper' waiting on sleep"), std::string::npos);
    e.set();
  });
}

TEST_F(hub_test, shutdown_ends_live_fibers_and_runs_their_cleanup) {
  int cleaned = 0;
  {
    hub h;
    for (int i = 0; i < 50; ++i) {
      spawn([&] {
        struct guard {
          int& n;
          ~guard() { ++n; }
        } g{cleaned};
        this_fiber::sleep_for(1h);
      });
    }
    spawn([] {
      event e;
      e.wait();
    });  // would deadlock; shutdown kills it
    h.run_until(spawn([] { this_fiber::sleep_for(5ms); }));
    EXPECT_EQ(h.live_fibers(), 51u);
  }
  EXPECT_EQ(cleaned, 50);
}

TEST_F(hub_test, background_fibers_get_a_bounded_share_while_normal_ones_keep_busy) {
  run([] {
    bool stop = false;
    int normal_turns = 0, background_turns = 0;
    std::vector<fiber> fibers;
    for (int i = 0; i < 4; ++i)
      fibers.push_back(spawn([&] {
        while (!stop) {
          ++normal_turns;
          this_fiber::yield();
        }
      }));
    fibers.push_back(spawn(
        [&] {
          while (!stop) {
            ++background_turns;
            this_fiber::yield();
          }
        },
        {.name = "bg", .priority = priority::background}));
    this_fiber::sleep_for(50ms);
    stop = true;
    join_all(fibers);
    ASSERT_GT(background_turns, 0) << "background starved";
    EXPECT_GT(normal_turns, 4 * background_turns) << "background took more than its share";
  });
}

TEST_F(hub_test, background_runs_only_after_ready_normal_fibers) {
  std::string order;
  run([&] {
    auto bg = spawn([&] { order += 'b'; }, {.priority = priority::background});
    auto n1 = spawn([&] { order += 'n'; });
    auto n2 = spawn([&] { order += 'n'; });
    join_all(std::vector<fiber>{bg, n1, n2});
  });
  EXPECT_EQ(order, "nnb");
}

TEST_F(hub_test, switch_count_proves_a_block_yielded) {
  run([] {
    FIBERSQL_EXPECT_SWITCHES(this_fiber::sleep_for(1ms));
    FIBERSQL_EXPECT_NO_SWITCHES(int x = 1; (void)x);
  });
}

}  // namespace
}  // namespace fibersql
