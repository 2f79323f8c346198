// wait_signal / signal_set: process signals delivered to a waiting fiber on the owning hub.
#include <signal.h>
#include <unistd.h>

#include "runtime_test.hpp"

namespace fibersql {
namespace {

using namespace std::chrono_literals;
using testing::runtime_test;
class signal_set_test : public runtime_test {};

TEST_F(signal_set_test, sigterm_from_kill_wakes_the_waiting_fiber) {
  run([] {
    auto sender = spawn([] {
      this_fiber::sleep_for(10ms);
      ASSERT_EQ(::kill(::getpid(), SIGTERM), 0);
    });
    bool others_ran = false;
    auto other = spawn([&] { others_ran = true; });
    EXPECT_EQ(wait_signal({SIGTERM, SIGINT}, deadline_after(5s)), SIGTERM);
    EXPECT_TRUE(others_ran) << "the wait yields the hub";
    sender.join();
    other.join();
  });
}

TEST_F(signal_set_test, signals_before_wait_are_queued_in_order) {
  run([] {
    signal_set set({SIGINT, SIGUSR1});
    ::kill(::getpid(), SIGUSR1);
    this_fiber::sleep_for(5ms);  // let the loop see the first before the second is sent
    ::kill(::getpid(), SIGINT);
    this_fiber::sleep_for(5ms);
    EXPECT_EQ(set.pending(), 2u);
    EXPECT_EQ(set.wait(), SIGUSR1);
    EXPECT_EQ(set.wait(), SIGINT);
    EXPECT_EQ(set.wait(deadline_after(5ms)), 0) << "nothing left: the own deadline passes";
  });
}

TEST_F(signal_set_test, sigterm_from_another_thread_reaches_the_hub) {
  run([] {
    signal_set set({SIGTERM});
    // The sender is a plain thread; the kernel may run the handler on any thread that does
    // not block the signal, and the hub must still see it.
    std::thread sender([] {
      std::this_thread::sleep_for(10ms);
      ::kill(::getpid(), SIGTERM);
    });
    EXPECT_EQ(set.wait(deadline_after(5s)), SIGTERM);
    sender.join();
  });
}

TEST_F(signal_set_test, waiting_for_a_signal_is_not_a_deadlock_and_honours_kill_and_timeouts) {
  run([] {
    auto waiter = spawn([] { wait_signal({SIGUSR2}); });
    this_fiber::sleep_for(5ms);
    waiter.kill();
    waiter.join();
    EXPECT_TRUE(waiter.killed());
    timeout t(5ms);
    EXPECT_THROW(wait_signal({SIGUSR2}), timeout_error);
  });
}

TEST_F(signal_set_test, one_owner_per_signal) {
  run([] {
    signal_set set({SIGUSR1});
    EXPECT_THROW(signal_set({SIGUSR1}), misuse_error);
    EXPECT_THROW(signal_set({SIGKILL}), misuse_error);
    EXPECT_THROW(signal_set({0}), misuse_error);
    hub_thread other;
    async_result<bool> refused;
    other.get().post([&refused] {
      try {
        signal_set twice({SIGUSR1});
        refused.set_value(false);
      } catch (const misuse_error&) {
        refused.set_value(true);
      }
    });
    EXPECT_TRUE(refused.get(5s)) << "another hub cannot take a signal this hub owns";
  });
  run([] { signal_set again({SIGUSR1}); });  // the owner is gone: the signal is free again
}

}  // namespace
}  // namespace fibersql
