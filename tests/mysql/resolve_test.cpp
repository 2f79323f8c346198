// Host names are resolved on the shared worker pool (offload), never on the hub and never on
// a thread per lookup.
#include <dirent.h>

#include <gtest/gtest.h>

#include <fibersql/mysql/connection.hpp>
#include <fibersql/runtime/runtime.hpp>

#include "support/test_env.hpp"

namespace fibersql {
namespace {

using namespace std::chrono_literals;
using testing::run_monitored;
using testing::test_mysql_url;

std::size_t thread_count() {
  std::size_t n = 0;
  DIR* d = ::opendir("/proc/self/task");
  while (const dirent* e = ::readdir(d)) n += e->d_name[0] != '.';
  ::closedir(d);
  return n;
}

TEST(mysql_resolve, unknown_host_is_2005_naming_the_host) {
  run_monitored([] {
    auto o = mysql::parse_url("mysql://u@no-such-host.invalid/d");
    try {
      mysql::connection::open(o);
      ADD_FAILURE() << "connected to an unknown host";
    } catch (const operational_error& e) {
      EXPECT_EQ(e.code(), 2005u);
      EXPECT_NE(std::string(e.what()).find("no-such-host.invalid"), std::string::npos) << e.what();
    }
  });
}

TEST(mysql_resolve, fifty_concurrent_lookups_use_the_bounded_pool) {
  FIBERSQL_REQUIRE_MYSQL();
  auto o = mysql::parse_url(test_mysql_url());
  if (o.host != "127.0.0.1") GTEST_SKIP() << "needs the loopback fixture server";
  o.host = "localhost";
  const std::uint64_t done_before = thread_pool::shared().stats().started;  // starts the workers
  const std::size_t before = thread_count();
  std::size_t most = before;
  run_monitored([&] {
    std::vector<fiber> fibers;
    for (int i = 0; i < 50; ++i) {
      fibers.push_back(spawn([&] {
        auto conn = mysql::connection::open(o);
        most = std::max(most, thread_count());
        EXPECT_EQ(conn->query("SELECT 1").rows.at(0).get<int>(0), 1);
      }));
    }
    join_all(fibers);
  });
  // The hub's watchdog may add one thread; a thread per lookup would add up to 50.
  EXPECT_LE(most, before + 2);
  EXPECT_GE(thread_pool::shared().stats().started - done_before, 50u) << "each lookup ran on the pool";
}

}  // namespace
}  // namespace fibersql
