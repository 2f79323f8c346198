// The wait mechanism: kill at every kind of wait point, wake ordering.
#include <unistd.h>
#include <functional>
#include <string>

#include "runtime_test.hpp"

namespace fibersql {
namespace {

using namespace std::chrono_literals;
using testing::runtime_test;

struct wait_point {
  std::string name;
  std::function<void()> wait;
};

class kill_at_wait_point : public runtime_test, public ::testing::WithParamInterface<std::string> {};

// Each wait point, in a fiber that nothing else would ever wake; kill must end it.
void wait_at(const std::string& kind) {
  static event ev;  // never set
  if (kind == "sleep") this_fiber::sleep_for(1h);
  if (kind == "event") {
    event e;
    e.wait();
  }
  if (kind == "semaphore") {
    semaphore s(0);
    s.acquire();
  }
  if (kind == "mutex") {
    mutex m;
    auto holder = spawn([&] {
      m.lock();
      this_fiber::sleep_for(1h);
    });
    this_fiber::yield();
    try {
      m.lock();
    } catch (...) {
      holder.kill();
      holder.join();
      throw;
    }
  }
  if (kind == "channel_receive") {
    channel<int> c(1);
    c.receive();
  }
  if (kind == "channel_send") {
    channel<int> c(1);
    c.send(1);
    c.send(2);
  }
  if (kind == "join") {
    auto other = spawn([] { this_fiber::sleep_for(1h); });
    try {
      other.join();
    } catch (...) {
      other.kill();
      throw;
    }
  }
  if (kind == "io") {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    struct closer {
      int a, b;
      ~closer() {
        ::close(a);
        ::close(b);
      }
    } c{fds[0], fds[1]};
    wait_readable(fds[0]);
  }
  if (kind == "async_result") {
    async_result<int> r;
    r.get();
  }
  if (kind == "yield") {
    for (;;) this_fiber::yield();
  }
}

TEST_P(kill_at_wait_point, kill_ends_the_fiber_there) {
  run([] {
    bool reached_end = false;
    auto f = spawn([&] {
      wait_at(GetParam());
      reached_end = true;
    });
    this_fiber::sleep_for(2ms);
    EXPECT_FALSE(f.done());
    f.kill();
    EXPECT_TRUE(f.join(1s)) << "killed fiber did not end";
    EXPECT_TRUE(f.killed());
    EXPECT_FALSE(reached_end);
  });
}

INSTANTIATE_TEST_SUITE_P(all, kill_at_wait_point,
                         ::testing::Values("sleep", "event", "semaphore", "mutex", "channel_receive", "channel_send",
                                           "join", "io", "async_result", "yield"));

class park_test : public runtime_test {};

TEST_F(park_test, sleepers_wake_in_deadline_order) {
  std::string order;
  run([&] {
    auto c = spawn([&] {
      this_fiber::sleep_for(30ms);
      order += 'c';
    });
    auto a = spawn([&] {
      this_fiber::sleep_for(10ms);
      order += 'a';
    });
    auto b = spawn([&] {
      this_fiber::sleep_for(20ms);
      order += 'b';
    });
    join_all(std::vector<fiber>{a, b, c});
  });
  EXPECT_EQ(order, "abc");
}

TEST_F(park_test, sleep_lasts_at_least_its_duration) {
  run([] {
    const auto start = clock::now();
    this_fiber::sleep_for(20ms);
    EXPECT_GE(clock::now() - start, 20ms);
  });
}

TEST_F(park_test, kill_while_ready_takes_effect_at_the_next_wait) {
  run([] {
    int steps = 0;
    auto f = spawn([&] {
      ++steps;
      this_fiber::yield();
      ++steps;
    });
    f.kill();  // not started yet
    f.join();
    EXPECT_EQ(steps, 0);
  });
}

}  // namespace
}  // namespace fibersql

namespace fibersql {
namespace {

using namespace std::chrono_literals;
class kill_shield_test : public testing::runtime_test {};

TEST_F(kill_shield_test, shielded_work_finishes_and_the_kill_lands_after_it) {
  run([] {
    bool shielded_done = false, after_shield = false;
    auto f = spawn([&] {
      {
        kill_shield shield;
        this_fiber::sleep_for(20ms);  // the kill arrives here and is held back
        shielded_done = true;
      }
      this_fiber::sleep_for(1h);  // first wait after the shield: fiber_exit
      after_shield = true;
    });
    this_fiber::sleep_for(2ms);
    f.kill();
    f.join();
    EXPECT_TRUE(shielded_done);
    EXPECT_FALSE(after_shield);
    EXPECT_TRUE(f.killed());
  });
}

TEST_F(kill_shield_test, hub_shutdown_waits_for_shielded_work) {
  bool finished = false;
  run([&] {
    spawn([&] {
      kill_shield shield;
      this_fiber::sleep_for(30ms);
      finished = true;
    });
    this_fiber::yield();
  });
  EXPECT_TRUE(finished);
}

TEST_F(kill_shield_test, timeouts_still_apply_inside_a_shield) {
  run([] {
    kill_shield shield;
    timeout t(5ms);
    EXPECT_THROW(this_fiber::sleep_for(1s), timeout_error);
  });
}

}  // namespace
}  // namespace fibersql
