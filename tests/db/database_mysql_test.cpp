// database on MariaDB: broken connections are discarded, atomic() on InnoDB, the hook's
// rollback over the network, stats with server thread ids.
#include <gtest/gtest.h>

#include <vector>

#include <fibersql/db/database.hpp>
#include <fibersql/runtime/runtime.hpp>
#include <fibersql/sql/errors.hpp>

#include "support/admin.hpp"
#include "support/test_env.hpp"

namespace fibersql::db {
namespace {

using namespace std::chrono_literals;
using fibersql::testing::run_monitored;
using fibersql::testing::test_mysql_url;

std::int64_t count_rows(database& db) {
  return db.query("SELECT COUNT(*) FROM db_items").rows.at(0).get<std::int64_t>(0);
}

void make_table(database& db) {
  db.execute("DROP TABLE IF EXISTS db_items");
  db.execute("CREATE TABLE db_items (k INT NOT NULL, v VARCHAR(64)) ENGINE=InnoDB");
}

TEST(database_mysql, mariadb_scheme_is_accepted_as_the_url_parser_accepts_it) {
  FIBERSQL_REQUIRE_MYSQL();
  const std::string url = test_mysql_url();
  ASSERT_TRUE(url.starts_with("mysql://")) << url;
  database db{"mariadb://" + url.substr(8)};
  run_monitored([&] { EXPECT_EQ(db.query("SELECT 1 + ?", {1u}).rows.at(0).get<long long>(0), 2); });
}

TEST(database_mysql, stream_and_prepare_without_reaching_for_the_backend_type) {
  FIBERSQL_REQUIRE_MYSQL();
  database db{test_mysql_url()};
  run_monitored([&] {
    make_table(db);
    prepared_statement insert = db.prepare("INSERT INTO db_items VALUES (?, ?)");
    for (int i = 1; i <= 600; ++i) insert.execute({i, "v"});
    row_cursor rows = db.stream("SELECT k FROM db_items WHERE k > ? ORDER BY k", {0});
    std::int64_t count = 0, last = 0;
    while (auto r = rows.next()) {
      last = r->get<std::int64_t>("k");
      ++count;
    }
    EXPECT_EQ(count, 600);
    EXPECT_EQ(last, 600);
    row_cursor early = db.stream("SELECT k FROM db_items");
    ASSERT_TRUE(early.next().has_value());
    EXPECT_THROW(db.execute("SELECT 1"), stream_open_error) << "refused before it reaches the streaming session";
    early.close();  // drains the rest: the connection stays
    EXPECT_EQ(count_rows(db), 600);
    EXPECT_EQ(db.stats().discarded_broken, 0u);
  });
}

TEST(database_mysql, broken_connection_is_discarded_and_the_next_call_reconnects) {
  FIBERSQL_REQUIRE_MYSQL();
  database db{test_mysql_url()};
  run_monitored([&] {
    testing::admin admin;
    const std::uint64_t first = db.connection().server_thread_id();
    EXPECT_EQ(db.stats().holders.at(0).server_thread_id, first);
    admin.kill_connection(first);
    EXPECT_THROW(db.execute("SELECT 1"), operational_error);
    EXPECT_FALSE(db.is_connected()) << "a broken connection must not stay with the fiber";
    EXPECT_EQ(db.stats().discarded_broken, 1u);
    const std::uint64_t second = db.connection().server_thread_id();
    EXPECT_NE(second, first);
    EXPECT_EQ(db.query("SELECT 1").rows.at(0).get<std::int64_t>(0), 1);
  });
  EXPECT_EQ(db.stats().open_connections, 0u);
}

TEST(database_mysql, lost_connection_inside_atomic_never_commits_elsewhere) {
  FIBERSQL_REQUIRE_MYSQL();
  database db{test_mysql_url()};
  run_monitored([&] {
    testing::admin admin;
    make_table(db);
    try {
      db.atomic([&] {
        db.execute("INSERT INTO db_items VALUES (1, 'before the kill')");
        admin.kill_connection(db.connection().server_thread_id());
        EXPECT_THROW(db.execute("INSERT INTO db_items VALUES (2, 'fails')"), operational_error);
        // Still inside the block: a fresh autocommit connection here would commit half of it.
        EXPECT_THROW(db.execute("INSERT INTO db_items VALUES (3, 'refused')"), operational_error);
      });
      ADD_FAILURE() << "commit of a lost transaction succeeded";
    } catch (const operational_error&) {
    }
    EXPECT_EQ(count_rows(db), 0);
  });
}

TEST(database_mysql, timeout_mid_query_inside_atomic_rolls_back_and_frees_the_session) {
  FIBERSQL_REQUIRE_MYSQL();
  database db{test_mysql_url()};
  run_monitored([&] {
    testing::admin admin;
    make_table(db);
    std::uint64_t tid = 0;
    spawn([&] {
      timeout limit(200ms);
      try {
        db.atomic([&] {
          db.execute("INSERT INTO db_items VALUES (1, 'timed out')");
          tid = db.connection().server_thread_id();
          db.execute("SELECT SLEEP(10)");
        });
      } catch (const timeout_error& e) {
        EXPECT_TRUE(limit.owns(e));
      }
    }).join();
    EXPECT_TRUE(admin.wait_session_gone(tid, 3s));
    EXPECT_EQ(count_rows(db), 0);
  });
  EXPECT_EQ(db.stats().open_connections, 0u);
}

TEST(database_mysql, hook_rolls_back_over_the_network_and_reports) {
  FIBERSQL_REQUIRE_MYSQL();
  std::vector<abandoned_transaction> reports;
  database db{test_mysql_url(),
              {.on_abandoned_transaction = [&](const abandoned_transaction& r) { reports.push_back(r); }}};
  run_monitored([&] {
    make_table(db);
    std::uint64_t tid = 0;
    spawn(
        [&] {
          db.connection().begin();
          db.execute("INSERT INTO db_items VALUES (1, 'abandoned')");
          tid = db.connection().server_thread_id();
        },
        {.name = "sloppy"})
        .join();
    EXPECT_EQ(count_rows(db), 0);
    ASSERT_EQ(reports.size(), 1u);
    EXPECT_EQ(reports[0].fiber_name, "sloppy");
    EXPECT_EQ(reports[0].server_thread_id, tid);
    EXPECT_TRUE(reports[0].rolled_back);
    EXPECT_EQ(reports[0].backend, "mysql");
  });
}

TEST(database_mysql, stats_show_the_running_statement_and_server_thread) {
  FIBERSQL_REQUIRE_MYSQL();
  database db{test_mysql_url()};
  run_monitored([&] {
    fiber sleeper = spawn([&] { db.execute("SELECT SLEEP(0.3)"); }, {.name = "sleeper"});
    this_fiber::sleep_for(150ms);
    const database_stats s = db.stats();
    ASSERT_EQ(s.holders.size(), 1u) << s.dump();
    EXPECT_EQ(s.holders[0].fiber_name, "sleeper");
    EXPECT_EQ(s.holders[0].current_statement, "SELECT SLEEP(0.3)");
    EXPECT_GE(s.holders[0].statement_running_for, 100ms);
    EXPECT_NE(s.holders[0].server_thread_id, 0u);
    EXPECT_EQ(s.source.find("fibersql:"), s.source.find("fibersql:***")) << "password masked: " << s.source;
    sleeper.join();
  });
}

}  // namespace
}  // namespace fibersql::db
