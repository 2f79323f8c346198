#pragma once
// What integration tests need from their surroundings: the server URL, descriptor and memory
// counts, and a hub run under the monitor.
#include <cstddef>
#include <cstdlib>
#include <functional>
#include <string>

#include <fibersql/runtime/clock.hpp>

namespace fibersql::testing {

// The MySQL URL under test: FIBERSQL_TEST_MYSQL_URL, else the file the `mariadb` CTest
// fixture wrote. Empty when neither exists (tests then skip).
std::string test_mysql_url();
// The fixture server's unix-socket URL; empty with an external server.
std::string test_mysql_socket_url();
// The TLS fixture server's URL (`mariadb_tls` fixture: certificate DNS:localhost signed by the
// test CA) and its unix-socket URL; empty when the fixture did not run.
std::string test_mysql_tls_url();
std::string test_mysql_tls_socket_url();
// The directory the `tls_certs` fixture filled (scripts/make-test-certs.sh), with a '/'.
std::string test_cert_dir();
// Open descriptors of this process (entries of /proc/self/fd).
std::size_t open_fd_count();
// Resident set size of this process in bytes (/proc/self/statm).
std::size_t resident_bytes();

// run_monitored: runs `fn` as the main fiber of a new hub with the monitor's watchdog on,
// and fails the current test if any fiber held the hub longer than `threshold`.
void run_monitored(const std::function<void()>& fn, clock::duration threshold = std::chrono::milliseconds(500));

}  // namespace fibersql::testing

// Skips the test when no MySQL server is configured.
// Skips a test without a server, except where FIBERSQL_TEST_REQUIRE_MYSQL is set (the test
// script sets it): there a missing server is a failure, never a silent pass.
#define FIBERSQL_REQUIRE_MYSQL()                                                    \
  do {                                                                              \
    if (::fibersql::testing::test_mysql_url().empty()) {                            \
      if (std::getenv("FIBERSQL_TEST_REQUIRE_MYSQL") != nullptr)                    \
        FAIL() << "no MySQL server, and FIBERSQL_TEST_REQUIRE_MYSQL is set";        \
      GTEST_SKIP() << "no MySQL server (set FIBERSQL_TEST_MYSQL_URL or run ctest)"; \
    }                                                                               \
  } while (0)
