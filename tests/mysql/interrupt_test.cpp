// Interrupted operations: read timeouts, killed fibers, timeout scopes, KILL CONNECTION.
#include <functional>

#include <gtest/gtest.h>

#include <fibersql/mysql/connection.hpp>
#include <fibersql/runtime/runtime.hpp>

#include "support/admin.hpp"
#include "support/test_env.hpp"

namespace fibersql {
namespace {

using namespace std::chrono_literals;
using testing::run_monitored;
using testing::test_mysql_url;

// A 1 s read timeout ends `sleep_five` (a 5 s statement on conn) with one timeout, keeps
// the hub running, breaks the connection and stops the statement on the server.
void expect_one_read_timeout(const std::function<void(mysql::connection&)>& sleep_five) {
  testing::admin admin;
  auto o = mysql::parse_url(test_mysql_url());
  o.read_timeout = 1s;
  auto conn = mysql::connection::open(o);
  const auto tid = conn->server_thread_id();
  int ticks = 0;
  fiber ticker = spawn([&] {
    for (;;) {
      this_fiber::sleep_for(20ms);
      ++ticks;
    }
  });
  const auto started = clock::now();
  try {
    sleep_five(*conn);
    ADD_FAILURE() << "SLEEP(5) finished despite a 1 s read timeout";
  } catch (const operational_error& e) {
    EXPECT_TRUE(e.code() == 2013 || e.code() == 2006) << e.what();
    EXPECT_TRUE(e.poisons_connection());
  }
  const auto took = clock::now() - started;
  EXPECT_GE(took, 900ms);
  // One read timeout in all, although the reply is awaited before Connector/C's first read.
  EXPECT_LT(took, 1900ms);
  EXPECT_GE(ticks, 30) << "other fibers stalled during the wait";
  EXPECT_TRUE(conn->is_broken());
  EXPECT_THROW(conn->query("SELECT 1"), interface_error);
  // KILL QUERY went out before the error reached us: the session ends well before 5 s.
  EXPECT_TRUE(admin.wait_session_gone(tid, 2s));
  ticker.kill();
  ticker.join();
}

TEST(mysql_interrupt, read_timeout_raises_operational_error_and_stops_the_query) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] { expect_one_read_timeout([](mysql::connection& c) { c.query("SELECT SLEEP(5)"); }); });
}

// A prepared statement's reply is awaited on the hub through the socket hook (reply_wait.cpp):
// that wait is Connector/C's own, bounded by the same read timeout.
TEST(mysql_interrupt, read_timeout_ends_a_prepared_statement_alike) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    expect_one_read_timeout(
        [](mysql::connection& c) { c.prepare("SELECT SLEEP(?)").execute({value(std::int64_t{5})}); });
  });
}

TEST(mysql_interrupt, killed_fiber_leaves_no_session_behind) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    testing::admin admin;
    std::uint64_t tid = 0;
    fiber victim = spawn(
        [&] {
          auto conn = mysql::connection::open(test_mysql_url());
          tid = conn->server_thread_id();
          conn->query("SELECT SLEEP(30)");
        },
        {.name = "victim"});
    this_fiber::sleep_for(300ms);
    ASSERT_NE(tid, 0u);
    EXPECT_TRUE(admin.session_exists(tid));
    victim.kill();
    victim.join();
    EXPECT_TRUE(victim.killed());
    EXPECT_TRUE(admin.wait_session_gone(tid, 3s)) << "session " << tid << " still on the server";
  });
}

TEST(mysql_interrupt, timeout_scope_breaks_the_connection_and_stops_the_query) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    testing::admin admin;
    auto conn = mysql::connection::open(test_mysql_url());
    const auto tid = conn->server_thread_id();
    {
      timeout scope(300ms);
      try {
        conn->query("SELECT SLEEP(30)");
        ADD_FAILURE();
      } catch (const timeout_error& e) {
        EXPECT_TRUE(scope.owns(e));
      }
    }
    EXPECT_TRUE(conn->is_broken());
    EXPECT_TRUE(admin.wait_session_gone(tid, 3s));
  });
}

TEST(mysql_interrupt, kill_connection_from_admin_is_2006_or_2013_and_broken) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    testing::admin admin;
    auto conn = mysql::connection::open(test_mysql_url());
    conn->query("SELECT 1");
    admin.kill_connection(conn->server_thread_id());
    this_fiber::sleep_for(100ms);
    try {
      conn->query("SELECT 1");
      ADD_FAILURE() << "query on a killed session succeeded";
    } catch (const operational_error& e) {
      EXPECT_TRUE(e.code() == 2006 || e.code() == 2013 || e.code() == 1927) << e.what();
    }
    EXPECT_TRUE(conn->is_broken());
    EXPECT_THROW(conn->ping(), interface_error);
  });
}

TEST(mysql_interrupt, kill_connection_during_query) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    testing::admin admin;
    auto conn = mysql::connection::open(test_mysql_url());
    fiber killer = spawn([&] {
      this_fiber::sleep_for(200ms);
      admin.kill_connection(conn->server_thread_id());
    });
    EXPECT_THROW(conn->query("SELECT SLEEP(10)"), operational_error);
    EXPECT_TRUE(conn->is_broken());
    killer.join();
  });
}

TEST(mysql_interrupt, no_session_or_descriptor_leaks_overall) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    testing::admin admin;
    this_fiber::sleep_for(500ms);  // sessions of earlier tests wind down
    const auto fds = testing::open_fd_count();
    std::vector<std::uint64_t> sessions;
    for (int i = 0; i < 20; ++i) {
      auto conn = mysql::connection::open(test_mysql_url());
      sessions.push_back(conn->server_thread_id());
      auto stmt = conn->prepare("SELECT ?");
      stmt.execute({value(std::int64_t{i})});
      if (i % 2 == 0) conn->close();
    }
    EXPECT_EQ(testing::open_fd_count(), fds);
    // Other test processes share the server, so count only this test's sessions.
    for (const auto id : sessions) EXPECT_TRUE(admin.wait_session_gone(id, 3s)) << "session " << id;
  });
}

}  // namespace
}  // namespace fibersql
