#include "support/test_env.hpp"

#include <dirent.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <mutex>

#include <gtest/gtest.h>

#include <fibersql/runtime/hub.hpp>

namespace fibersql::testing {
namespace {

std::string first_line(const char* path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

}  // namespace

std::string test_mysql_url() {
  if (const char* env = std::getenv("FIBERSQL_TEST_MYSQL_URL"); env != nullptr && *env != '\0') return env;
  return first_line(FIBERSQL_TEST_URL_FILE);
}

std::string test_mysql_socket_url() {
  if (const char* env = std::getenv("FIBERSQL_TEST_MYSQL_URL"); env != nullptr && *env != '\0') return {};
  return first_line(FIBERSQL_TEST_SOCKET_URL_FILE);
}

std::string test_mysql_tls_url() {
  return first_line(FIBERSQL_TEST_TLS_URL_FILE);
}

std::string test_mysql_tls_socket_url() {
  return first_line(FIBERSQL_TEST_TLS_SOCKET_URL_FILE);
}

std::string test_cert_dir() {
  return std::string(FIBERSQL_TEST_CERT_DIR) + "/";
}

std::size_t open_fd_count() {
  std::size_t n = 0;
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return 0;
  while (const dirent* e = readdir(dir)) {
    if (e->d_name[0] != '.') ++n;
  }
  closedir(dir);
  return n - 1;  // the directory stream's own descriptor
}

std::size_t resident_bytes() {
  std::ifstream in("/proc/self/statm");
  std::size_t total = 0, resident = 0;
  in >> total >> resident;
  return resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

void run_monitored(const std::function<void()>& fn, clock::duration threshold) {
  std::mutex mutex;
  std::string reports;  // guarded by mutex (written on the watchdog thread)
  fibersql::run([&] {
    hub::current().start_monitor({.watchdog_threshold = threshold, .on_blocked = [&](const blocked_report& r) {
                                    std::lock_guard lock(mutex);
                                    reports += "fiber " + std::to_string(r.fiber_id) + " '" + r.fiber_name +
                                               "' held the hub for " + std::to_string(r.blocked_for.count() / 1000000) +
                                               " ms\n";
                                  }});
    fn();
    hub::current().stop_monitor();
  });
  std::lock_guard lock(mutex);
  EXPECT_TRUE(reports.empty()) << "the monitor saw a blocked hub:\n" << reports;
}

}  // namespace fibersql::testing
