#pragma once
// Shared fixture: every runtime test runs in a fresh hub; TearDown proves nothing outlived it.
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fibersql/runtime/runtime.hpp>

namespace fibersql::testing {

class runtime_test : public ::testing::Test {
 protected:
  void TearDown() override { EXPECT_EQ(hub::current_or_null(), nullptr) << "a hub outlived the test"; }
};

// A connected, non-blocking unix socket pair: fds_[0] and fds_[1], closed after the test.
class socket_pair_test : public runtime_test {
 protected:
  void SetUp() override { ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds_), 0); }
  void TearDown() override {
    ::close(fds_[0]);
    ::close(fds_[1]);
    runtime_test::TearDown();
  }
  int fds_[2] = {-1, -1};
};

}  // namespace fibersql::testing
