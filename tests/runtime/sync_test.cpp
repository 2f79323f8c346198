// event, semaphore, mutex: ordering, hand-off and misuse.
#include <mutex>
#include <string>
#include <vector>

#include "runtime_test.hpp"

namespace fibersql {
namespace {

using namespace std::chrono_literals;
using testing::runtime_test;
class sync_test : public runtime_test {};

TEST_F(sync_test, event_wakes_all_waiters_in_arrival_order) {
  std::string order;
  run([&] {
    event e;
    std::vector<fiber> fibers;
    for (char c : std::string("abc"))
      fibers.push_back(spawn([&, c] {
        e.wait();
        order += c;
      }));
    this_fiber::yield();
    EXPECT_TRUE(order.empty());
    e.set();
    join_all(fibers);
    EXPECT_TRUE(e.wait(0ms));  // stays set
    e.clear();
    EXPECT_FALSE(e.wait(1ms));
  });
  EXPECT_EQ(order, "abc");
}

TEST_F(sync_test, semaphore_hands_units_to_waiters_fifo_and_newcomers_cannot_jump) {
  std::string order;
  run([&] {
    semaphore s(0);
    std::vector<fiber> fibers;
    for (char c : std::string("xyz"))
      fibers.push_back(spawn([&, c] {
        s.acquire();
        order += c;
      }));
    this_fiber::yield();
    EXPECT_EQ(s.waiting(), 3u);
    s.release();
    EXPECT_FALSE(s.try_acquire()) << "the released unit belongs to the first waiter";
    s.release();
    s.release();
    join_all(fibers);
    EXPECT_EQ(s.available(), 0u);
  });
  EXPECT_EQ(order, "xyz");
}

TEST_F(sync_test, semaphore_acquire_times_out) {
  run([] {
    semaphore s(1);
    EXPECT_TRUE(s.acquire(0ms));
    EXPECT_FALSE(s.acquire(5ms));
    s.release();
    EXPECT_EQ(s.available(), 1u);
  });
}

TEST_F(sync_test, mutex_serializes_critical_sections_across_waits) {
  run([] {
    mutex m;
    int inside = 0, max_inside = 0;
    std::vector<fiber> fibers;
    for (int i = 0; i < 10; ++i) {
      fibers.push_back(spawn([&] {
        std::lock_guard lock(m);
        max_inside = std::max(max_inside, ++inside);
        this_fiber::sleep_for(1ms);
        --inside;
      }));
    }
    join_all(fibers);
    EXPECT_EQ(max_inside, 1);
  });
}

TEST_F(sync_test, mutex_misuse_is_reported) {
  run([] {
    mutex m;
    m.lock();
    EXPECT_THROW(m.lock(), misuse_error);
    auto other = spawn([&] { EXPECT_THROW(m.unlock(), misuse_error); });
    other.join();
    m.unlock();
    EXPECT_TRUE(m.try_lock());
    m.unlock();
  });
}

TEST_F(sync_test, killed_mutex_waiter_does_not_steal_the_lock) {
  run([] {
    mutex m;
    m.lock();
    auto victim = spawn([&] {
      m.lock();
      ADD_FAILURE() << "killed waiter got the lock";
    });
    this_fiber::yield();
    victim.kill();
    victim.join();
    m.unlock();
    EXPECT_TRUE(m.try_lock());
    m.unlock();
  });
}

}  // namespace
}  // namespace fibersql
