#pragma once
// Shared helpers for the net tests: descriptor counting (TearDown-style leak checks).
#include <dirent.h>
#include <fcntl.h>

#include <cstddef>

#include <gtest/gtest.h>

#include <fibersql/net/net.hpp>
#include <fibersql/runtime/runtime.hpp>

namespace fibersql::testing {

// Open descriptors of this process (/proc/self/fd, minus the one reading it).
inline std::size_t open_fds() {
  std::size_t n = 0;
  DIR* d = ::opendir("/proc/self/fd");
  while (const dirent* e = ::readdir(d)) n += e->d_name[0] != '.';
  ::closedir(d);
  return n - 1;
}

inline bool close_on_exec(int fd) {
  return (::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0;
}

// Every net test checks that it leaves no descriptor and no hub behind.
class net_test : public ::testing::Test {
 protected:
  void SetUp() override {
    thread_pool::shared();  // its threads (and any descriptors) exist before counting
    fds_before_ = open_fds();
  }
  void TearDown() override {
    EXPECT_EQ(hub::current_or_null(), nullptr) << "a hub outlived the test";
    EXPECT_EQ(open_fds(), fds_before_) << "a descriptor outlived the test";
  }
  std::size_t fds_before_ = 0;
};

inline net::listener loopback_listener(net::listen_options o = {}) {
  return net::listener::listen(net::endpoint::ip("127.0.0.1", 0), o);
}

}  // namespace fibersql::testing
