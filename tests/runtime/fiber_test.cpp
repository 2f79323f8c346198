// spawn / join / kill / join_all / wait_any, and how failures reach the joiner.
#include <stdexcept>
#include <string>
#include <vector>

#include "runtime_test.hpp"

namespace fibersql {
namespace {

using namespace std::chrono_literals;
using testing::runtime_test;
class fiber_test : public runtime_test {};

TEST_F(fiber_test, spawned_fibers_run_in_fifo_order_after_the_spawner_waits) {
  std::vector<int> order;
  run([&] {
    std::vector<fiber> fibers;
    for (int i = 0; i < 5; ++i) fibers.push_back(spawn([&order, i] { order.push_back(i); }));
    order.push_back(-1);  // the spawner keeps running until it waits
    join_all(fibers);
  });
  EXPECT_EQ(order, (std::vector<int>{-1, 0, 1, 2, 3, 4}));
}

TEST_F(fiber_test, yield_round_robins_between_fibers) {
  std::string trace;
  run([&] {
    auto a = spawn([&] {
      for (int i = 0; i < 3; ++i) {
        trace += 'a';
        this_fiber::yield();
      }
    });
    auto b = spawn([&] {
      for (int i = 0; i < 3; ++i) {
        trace += 'b';
        this_fiber::yield();
      }
    });
    a.join();
    b.join();
  });
  EXPECT_EQ(trace, "ababab");
}

TEST_F(fiber_test, exception_in_a_fiber_reaches_the_joiner) {
  run([] {
    auto f = spawn([] { throw std::runtime_error("boom"); }, {.name = "thrower"});
    EXPECT_THROW(
        try { f.join(); } catch (const std::runtime_error& e) {
          EXPECT_STREQ(e.what(), "boom");
          throw;
        },
        std::runtime_error);
  });
}

TEST_F(fiber_test, unjoined_failure_is_reported_not_lost) {
  std::vector<std::string> reports;
  set_unhandled_error_handler([&](std::uint64_t, const std::string& name, std::exception_ptr e) {
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      reports.push_back(name + ": " + ex.what());
    }
  });
  run([] {
    spawn([] { throw std::runtime_error("nobody listens"); }, {.name = "orphan"});
    this_fiber::sleep_for(1ms);
  });
  set_unhandled_error_handler(nullptr);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0], "orphan: nobody listens");
}

TEST_F(fiber_test, joined_failure_is_not_reported_again) {
  int reports = 0;
  set_unhandled_error_handler([&](auto&&...) { ++reports; });
  run([] {
    auto f = spawn([] { throw std::runtime_error("seen"); });
    EXPECT_THROW(f.join(), std::runtime_error);
  });
  set_unhandled_error_handler(nullptr);
  EXPECT_EQ(reports, 0);
}

TEST_F(fiber_test, join_with_timeout_returns_false_while_running) {
  run([] {
    auto f = spawn([] { this_fiber::sleep_for(200ms); });
    EXPECT_FALSE(f.join(10ms));
    EXPECT_FALSE(f.done());
    EXPECT_TRUE(f.join(2s));
    EXPECT_TRUE(f.done());
  });
}

TEST_F(fiber_test, kill_ends_a_sleeping_fiber_and_join_returns_normally) {
  run([] {
    bool after_sleep = false;
    auto f = spawn([&] {
      this_fiber::sleep_for(10s);
      after_sleep = true;
    });
    this_fiber::yield();
    f.kill();
    f.join();
    EXPECT_TRUE(f.killed());
    EXPECT_FALSE(after_sleep);
  });
}

TEST_F(fiber_test, kill_before_first_run_skips_the_body) {
  run([] {
    bool ran = false;
    auto f = spawn([&] { ran = true; });
    f.kill();
    f.join();
    EXPECT_FALSE(ran);
    EXPECT_TRUE(f.killed());
  });
}

TEST_F(fiber_test, fiber_exit_is_not_caught_by_std_exception_handlers) {
  run([] {
    bool swallowed = false;
    auto f = spawn([&] {
      try {
        this_fiber::sleep_for(10s);
      } catch (const std::exception&) {
        swallowed = true;
      }
    });
    this_fiber::yield();
    f.kill();
    f.join();
    EXPECT_FALSE(swallowed);
    EXPECT_TRUE(f.killed());
  });
}

TEST_F(fiber_test, killing_oneself_ends_at_once) {
  run([] {
    bool after = false;
    auto f = spawn([&] {
      this_fiber::self().kill();
      after = true;
    });
    f.join();
    EXPECT_FALSE(after);
    EXPECT_TRUE(f.killed());
  });
}

// A handle kept past its hub (a global pool keeps its maintenance fiber's): the finished
// fiber must hold nothing on its stack, which the hub unmapped. Fails under ASan (ucontext).
TEST_F(fiber_test, handle_dropped_after_its_hub_is_gone) {
  fiber kept;
  fiber killed;
  run([&] {
    kept = spawn([] { this_fiber::yield(); }, {.name = "finished"});
    killed = spawn([] { this_fiber::sleep_for(1h); }, {.name = "killed by shutdown"});
    kept.join();
  });
  EXPECT_TRUE(kept.done());
  EXPECT_TRUE(killed.done());
  EXPECT_TRUE(killed.killed());
  kept = fiber{};
  killed = fiber{};
}

TEST_F(fiber_test, kill_pending_stays_true_after_the_fiber_exit_is_caught) {
  EXPECT_FALSE(this_fiber::kill_pending()) << "outside any fiber";
  run([] {
    bool before = true, after = false;
    fiber f = spawn([&] {
      before = this_fiber::kill_pending();
      try {
        this_fiber::sleep_for(1h);
      } catch (...) {  // user code that swallows everything
      }
      after = this_fiber::kill_pending();
    });
    this_fiber::yield();
    f.kill();
    f.join();
    EXPECT_FALSE(before);
    EXPECT_TRUE(after);
  });
}

TEST_F(fiber_test, join_on_self_is_a_clear_error) {
  run([] {
    try {
      this_fiber::self().join();
      FAIL() << "join on self did not throw";
    } catch (const misuse_error& e) {
      EXPECT_NE(std::string(e.what()).find("wait for itself"), std::string::npos) << e.what();
    }
  });
}

TEST_F(fiber_test, waiting_outside_any_fiber_is_a_clear_error) {
  hub h;
  try {
    this_fiber::sleep_for(1ms);
    FAIL() << "sleep outside a fiber did not throw";
  } catch (const misuse_error& e) {
    EXPECT_NE(std::string(e.what()).find("outside any fiber"), std::string::npos) << e.what();
  }
  auto f = spawn([] {});
  EXPECT_THROW(f.join(), misuse_error);
  h.run();
}

TEST_F(fiber_test, spawn_without_a_hub_is_a_clear_error) {
  EXPECT_THROW(spawn([] {}), misuse_error);
}

TEST_F(fiber_test, join_all_waits_for_all_and_rethrows_the_first_failure) {
  run([] {
    int finished = 0;
    std::vector<fiber> fibers{
        spawn([&] {
          this_fiber::sleep_for(20ms);
          ++finished;
        }),
        spawn([&] {
          ++finished;
          throw std::logic_error("first");
        }),
        spawn([&] {
          this_fiber::sleep_for(5ms);
          ++finished;
          throw std::runtime_error("second");
        }),
    };
    EXPECT_THROW(join_all(fibers), std::logic_error);
    EXPECT_EQ(finished, 3);
  });
}

TEST_F(fiber_test, wait_any_returns_the_first_to_end) {
  run([] {
    std::vector<fiber> fibers{
        spawn([] { this_fiber::sleep_for(300ms); }),
        spawn([] { this_fiber::sleep_for(10ms); }),
    };
    auto first = wait_any(fibers);
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(*first, 1u);
    EXPECT_FALSE(wait_any(std::span(fibers).first(1), 5ms).has_value());
    fibers[0].kill();
    join_all(fibers);
  });
}

TEST_F(fiber_test, run_returns_the_main_fiber_value_and_kills_the_rest) {
  bool cleaned = false;
  int v = run([&] {
    spawn([&] {
      struct guard {
        bool& flag;
        ~guard() { flag = true; }
      } g{cleaned};
      this_fiber::sleep_for(1h);
    });
    this_fiber::yield();
    return 7;
  });
  EXPECT_EQ(v, 7);
  EXPECT_TRUE(cleaned);
}

TEST_F(fiber_test, ids_and_names_identify_fibers) {
  run([] {
    std::uint64_t inner_id = 0;
    std::string inner_name;
    auto f = spawn(
        [&] {
          inner_id = this_fiber::id();
          inner_name = this_fiber::name();
        },
        {.name = "worker-1"});
    f.join();
    EXPECT_EQ(inner_id, f.id());
    EXPECT_EQ(inner_name, "worker-1");
    EXPECT_NE(f.id(), this_fiber::id());
  });
  EXPECT_EQ(this_fiber::id(), 0u);
}

constexpr int hundred_thousand = 100000;

TEST_F(fiber_test, hundred_thousand_fibers_alive_at_once) {
  run([] {
    event go;
    int woke = 0;
    std::vector<fiber> fibers;
    fibers.reserve(hundred_thousand);
    for (int i = 0; i < hundred_thousand; ++i)
      fibers.push_back(spawn([&] {
        go.wait();
        ++woke;
      }));
    this_fiber::yield();
    EXPECT_EQ(hub::current().live_fibers(), static_cast<std::size_t>(hundred_thousand + 1));
    go.set();
    join_all(fibers);
    EXPECT_EQ(woke, hundred_thousand);
  });
}

}  // namespace
}  // namespace fibersql
