// io_watch: a registration kept between waits, on real sockets.
#include <time.h>
#include <unistd.h>  // read, write

#include "runtime_test.hpp"

namespace fibersql {
namespace {

using namespace std::chrono_literals;

using io_watch_test = testing::socket_pair_test;

TEST_F(io_watch_test, request_response_rounds_on_one_registration) {
  run([&] {
    io_watch watch(fds_[0]);
    auto peer = spawn([&] {
      io_watch peer_watch(fds_[1]);
      char c;
      for (int i = 0; i < 100; ++i) {
        ASSERT_NE(peer_watch.wait(io_readable, deadline_after(2s)), unsigned{io_none});
        ASSERT_EQ(::read(fds_[1], &c, 1), 1);
        ASSERT_EQ(::write(fds_[1], &c, 1), 1);
      }
    });
    char c = 'x';
    for (int i = 0; i < 100; ++i) {
      ASSERT_EQ(::write(fds_[0], &c, 1), 1);
      ASSERT_EQ(watch.wait(io_readable, deadline_after(2s)), unsigned{io_readable});
      ASSERT_EQ(::read(fds_[0], &c, 1), 1);
    }
    peer.join();
  });
}

TEST_F(io_watch_test, readiness_nobody_waits_for_does_not_spin_the_hub) {
  run([&] {
    io_watch watch(fds_[0]);
    EXPECT_EQ(watch.wait(io_writable, deadline_after(1s)), unsigned{io_writable});
    // Still registered for writable (always true) while nobody waits: the hub must stop the
    // watcher rather than be called back on every loop turn, which would spin the thread.
    auto thread_cpu = [] {
      timespec ts{};
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
      return std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
    };
    const auto before = thread_cpu();
    this_fiber::sleep_for(100ms);
    EXPECT_LT(thread_cpu() - before, 50ms) << "the hub spun on unwanted readiness";
  });
}

TEST_F(io_watch_test, deadline_kill_and_misuse) {
  run([&] {
    io_watch watch(fds_[0]);
    EXPECT_EQ(watch.wait(io_readable, deadline_after(10ms)), unsigned{io_none});
    auto waiter = spawn([&] { watch.wait(io_readable); });
    this_fiber::yield();
    EXPECT_THROW(watch.wait(io_readable, deadline_after(1ms)), misuse_error) << "one waiter at a time";
    waiter.kill();
    waiter.join();
    EXPECT_TRUE(waiter.killed());
    EXPECT_THROW(watch.wait(io_none), misuse_error);
    watch.reset();
  });
  EXPECT_THROW(io_watch{fds_[0]}, misuse_error) << "no hub";
}

}  // namespace
}  // namespace fibersql
