// Descriptors the library opens never reach a child process: a service that forks and execs
// must not hand its database sessions, SQLite files or event loops to the child. The test
// opens one of each, execs `ls -l /proc/self/fd` and looks for them in the child's list.
#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <sstream>
#include <string>

#include <fibersql/db/database.hpp>
#include <fibersql/runtime/runtime.hpp>

#include "support/test_env.hpp"

extern char** environ;

namespace fibersql::leak {
namespace {

using namespace std::chrono_literals;

// This process's descriptors and what each refers to ("socket:[123]", "/tmp/x.db", ...).
std::map<int, std::string> open_fds() {
  std::map<int, std::string> out;
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return out;
  const int own = dirfd(dir);
  while (const dirent* e = readdir(dir)) {
    if (e->d_name[0] == '.') continue;
    const int fd = std::stoi(e->d_name);
    if (fd == own) continue;
    char target[512];
    const ssize_t n = readlink(("/proc/self/fd/" + std::string(e->d_name)).c_str(), target, sizeof target - 1);
    out[fd] = n > 0 ? std::string(target, static_cast<std::size_t>(n)) : std::string("?");
  }
  closedir(dir);
  return out;
}

// fork + exec of `ls -l /proc/self/fd`: the child's descriptors as it sees them.
std::map<int, std::string> child_fds() {
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) return {};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);  // dup2 clears close-on-exec on 1
  const char* argv[] = {"ls", "-l", "/proc/self/fd", nullptr};
  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, "ls", &actions, nullptr, const_cast<char* const*>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  std::string text;
  char buf[4096];
  for (ssize_t n; rc == 0 && (n = read(out[0], buf, sizeof buf)) > 0;) text.append(buf, static_cast<std::size_t>(n));
  close(out[0]);
  int status = 0;
  if (rc == 0) waitpid(pid, &status, 0);
  std::map<int, std::string> fds;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    const auto arrow = line.find(" -> ");
    if (arrow == std::string::npos) continue;
    const auto space = line.rfind(' ', arrow - 1);
    fds[std::stoi(line.substr(space + 1, arrow - space - 1))] = line.substr(arrow + 4);
  }
  return fds;
}

TEST(cloexec, no_descriptor_of_the_library_reaches_an_exec_child) {
  FIBERSQL_REQUIRE_MYSQL();
  const std::string sqlite_path = ::testing::TempDir() + "fibersql_cloexec_" + std::to_string(::getpid()) + ".db";
  std::remove(sqlite_path.c_str());
  const std::map<int, std::string> before = open_fds();
  std::map<int, std::string> ours, leaked;
  run([&] {
    hub::current().start_monitor({.watchdog_threshold = 1s});
    hub_thread other;  // a second hub: its own loop and wake-up descriptors
    db::database tcp{testing::test_mysql_url()};
    tcp.query("SELECT 1");
    std::optional<db::database> unix_socket;
    if (const std::string url = testing::test_mysql_socket_url(); !url.empty()) {
      unix_socket.emplace(url);
      unix_socket->query("SELECT 1");
    }
    db::database file{"sqlite://" + sqlite_path};
    file.execute("CREATE TABLE t (x INTEGER)");
    auto tx = file.atomic();  // an open write transaction keeps the journal open
    file.execute("INSERT INTO t VALUES (1)");
    for (const auto& [fd, target] : open_fds()) {
      auto it = before.find(fd);
      if (it == before.end() || it->second != target) ours[fd] = target;
    }
    for (const auto& [fd, target] : child_fds()) {
      auto it = ours.find(fd);
      if (it != ours.end() && it->second == target) leaked[fd] = target;
    }
    tx.rollback();
  });
  std::remove(sqlite_path.c_str());
  EXPECT_GE(ours.size(), 4u) << "the test opened too little to prove anything";
  std::string list;
  for (const auto& [fd, target] : leaked) list += "  fd " + std::to_string(fd) + " -> " + target + "\n";
  EXPECT_TRUE(leaked.empty()) << "descriptors without FD_CLOEXEC, inherited by the child:\n" << list;
}

// The control: a descriptor opened without close-on-exec does show up in the child.
TEST(cloexec, control_a_descriptor_without_cloexec_is_seen_by_the_child) {
  const int fd = ::open("/dev/null", O_RDONLY);  // deliberately no O_CLOEXEC
  ASSERT_GE(fd, 0);
  const auto fds = child_fds();
  ::close(fd);
  ASSERT_TRUE(fds.count(fd)) << "the child's listing did not show an inherited descriptor";
  EXPECT_EQ(fds.at(fd), "/dev/null");
}

}  // namespace
}  // namespace fibersql::leak
