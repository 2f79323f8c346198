// wait_io on real sockets.
#include <unistd.h>  // read, write

#include "assert_switches.hpp"
#include "runtime_test.hpp"

namespace fibersql {
namespace {

using namespace std::chrono_literals;

using io_wait_test = testing::socket_pair_test;

TEST_F(io_wait_test, readable_once_the_peer_writes_and_other_fibers_run_meanwhile) {
  run([&] {
    int ticks = 0;
    auto ticker = spawn([&] {
      for (int i = 0; i < 5; ++i) {
        ++ticks;
        this_fiber::sleep_for(2ms);
      }
    });
    auto writer = spawn([&] {
      this_fiber::sleep_for(20ms);
      ASSERT_EQ(::write(fds_[1], "x", 1), 1);
    });
    FIBERSQL_EXPECT_SWITCHES(EXPECT_TRUE(wait_readable(fds_[0], deadline_after(2s))));
    EXPECT_GE(ticks, 1) << "the ticker must run while the reader waits";
    char c;
    EXPECT_EQ(::read(fds_[0], &c, 1), 1);
    join_all(std::vector<fiber>{ticker, writer});
  });
}

TEST_F(io_wait_test, writable_at_once_on_an_empty_socket) {
  run([&] { EXPECT_EQ(wait_io(fds_[0], io_writable | io_readable, deadline_after(1s)), unsigned{io_writable}); });
}

TEST_F(io_wait_test, deadline_returns_io_none) {
  run([&] {
    const auto start = clock::now();
    EXPECT_EQ(wait_io(fds_[0], io_readable, deadline_after(15ms)), unsigned{io_none});
    EXPECT_GE(clock::now() - start, 15ms);
  });
}

TEST_F(io_wait_test, bad_arguments_are_clear_errors) {
  run([&] {
    EXPECT_THROW(wait_io(-1, io_readable), misuse_error);
    EXPECT_THROW(wait_io(fds_[0], io_none), misuse_error);
  });
}

}  // namespace
}  // namespace fibersql
