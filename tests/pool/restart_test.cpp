// The server goes away for 3 seconds under a 200-fiber load and comes back: every call either
// succeeds or fails with operational_error, nothing hangs, the pool serves again afterwards,
// and no session or descriptor is left behind. The test runs its own throwaway server
// (scripts/mariadb-server.sh) so that stopping it disturbs no other test.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>

#include <fibersql/mysql/connection.hpp>
#include <fibersql/pool/pool.hpp>
#include <fibersql/runtime/runtime.hpp>
#include <fibersql/sql/errors.hpp>

#include "support/test_env.hpp"

extern char** environ;

namespace fibersql::pool {
namespace {

using namespace std::chrono_literals;

const std::string server_dir = FIBERSQL_POOL_TEST_DIR "/pool-restart-server";
const std::string script = FIBERSQL_SOURCE_DIR "/scripts/mariadb-server.sh";

std::string read_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// The server's command line, as scripts/mariadb-server.sh starts it.
std::string server_command(unsigned port) {
  const std::string d = server_dir;
  return "mariadbd --no-defaults --datadir=" + d + "/data --user=root --port=" + std::to_string(port) +
         " --bind-address=127.0.0.1 --socket=" + d + "/sock --pid-file=" + d +
         "/pid --skip-name-resolve --max-connections=500 --innodb-buffer-pool-size=64M --log-error=" + d +
         "/error.log >/dev/null 2>&1 &";
}

// Runs `sh -c command` without blocking the hub (the shell backgrounds the server and exits).
void start_detached(const std::string& command) {
  pid_t pid = 0;
  const char* argv[] = {"sh", "-c", command.c_str(), nullptr};
  ASSERT_EQ(posix_spawnp(&pid, "sh", nullptr, nullptr, const_cast<char* const*>(argv), environ), 0);
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) this_fiber::sleep_for(10ms);
}

// Stops the server (SIGTERM, a normal shutdown) and waits until it is gone.
void stop_server() {
  const pid_t pid = static_cast<pid_t>(std::stol(read_line(server_dir + "/pid")));
  ASSERT_EQ(kill(pid, SIGTERM), 0);
  const deadline until = deadline_after(30s);
  while (kill(pid, 0) == 0 && clock::now() < until) this_fiber::sleep_for(20ms);
  ASSERT_NE(kill(pid, 0), 0) << "mariadbd did not stop";
}

std::size_t user_sessions(const std::string& url) {
  auto admin = mysql::connection::open(url);
  return admin
      ->query(
          "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = SUBSTRING_INDEX(USER(), '@', 1) "
          "AND ID <> CONNECTION_ID()")
      .rows.at(0)
      .get<std::size_t>(0);
}

class pool_restart : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (std::getenv("FIBERSQL_TEST_MYSQL_URL") != nullptr) return;  // external servers are not ours to stop
    const std::string cmd = "'" + script + "' start '" + server_dir + "' >/dev/null 2>&1";
    started_ = std::system(cmd.c_str()) == 0;
  }
  static void TearDownTestSuite() {
    if (!started_) return;
    const std::string cmd = "'" + script + "' stop '" + server_dir + "' >/dev/null 2>&1";
    (void)std::system(cmd.c_str());
  }
  void SetUp() override {
    if (!started_) GTEST_SKIP() << "needs its own MariaDB server (not with FIBERSQL_TEST_MYSQL_URL)";
  }
  static inline bool started_ = false;
};

TEST_F(pool_restart, server_stopped_three_seconds_under_load_then_recovers) {
  const std::string base_url = read_line(server_dir + "/url");
  const std::string url = base_url + "?connect_timeout=2&read_timeout=5";
  const unsigned port = static_cast<unsigned>(std::stoul(base_url.substr(base_url.rfind(':') + 1)));
  const std::size_t fds_before = testing::open_fd_count();
  testing::run_monitored([&] {
    connection_pool pool([url]() -> std::unique_ptr<connection> { return mysql::connection::open(url); },
                         {.max_open = 20, .max_idle = 20, .acquire_timeout = 1s});
    bool stop = false;
    bool restarted = false;
    std::size_t ok = 0, ok_after_restart = 0, operational = 0;
    std::vector<std::string> unexpected;
    std::vector<fiber> load;
    for (int i = 0; i < 200; ++i) {
      load.push_back(spawn(
          [&] {
            while (!stop) {
              try {
                pooled_connection c = pool.acquire();
                c->query("SELECT 1, SLEEP(0.005)");
                ++ok;
                if (restarted) ++ok_after_restart;
              } catch (const operational_error&) {
                ++operational;  // pool_timeout included: it is an operational_error
                this_fiber::sleep_for(20ms);
              } catch (const std::exception& e) {
                unexpected.push_back(e.what());
                this_fiber::sleep_for(20ms);
              }
            }
          },
          {.name = "load-" + std::to_string(i)}));
    }
    this_fiber::sleep_for(1s);
    const std::size_t ok_before_stop = ok;
    stop_server();
    this_fiber::sleep_for(3s);
    start_detached(server_command(port));
    // Ready when a fresh connection gets through.
    const deadline until = deadline_after(60s);
    for (;;) {
      try {
        mysql::connection::open(url);
        break;
      } catch (const operational_error&) {
        ASSERT_LT(clock::now(), until) << "the server did not come back";
        this_fiber::sleep_for(100ms);
      }
    }
    restarted = true;
    this_fiber::sleep_for(2s);
    stop = true;
    for (const fiber& f : load) EXPECT_TRUE(f.join(10s)) << f.name() << " hangs";
    EXPECT_GT(ok_before_stop, 0u);
    EXPECT_GT(operational, 0u) << "the outage must have been noticed";
    EXPECT_GT(ok_after_restart, 100u) << "the pool must serve again after the restart";
    EXPECT_TRUE(unexpected.empty()) << unexpected.size() << " unexpected errors, first: " << unexpected.front();
    const pool_stats s = pool.stats();
    EXPECT_EQ(s.in_use, 0u);
    EXPECT_EQ(s.waiters, 0u);
    EXPECT_LE(s.open, 20u);
    EXPECT_GT(s.broken_closed, 0u);
    pool.close();
    // No session of ours survives the pool (the server drops them asynchronously).
    std::size_t left = 0;
    for (int i = 0; i < 100 && (left = user_sessions(url)) != 0; ++i) this_fiber::sleep_for(20ms);
    EXPECT_EQ(left, 0u);
  });
  EXPECT_EQ(testing::open_fd_count(), fds_before);
}

}  // namespace
}  // namespace fibersql::pool
