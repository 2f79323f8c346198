// Read-your-writes on a real GTID primary + replica: a read on the replica right after a commit
// misses the row; waiting for the commit's GTID (MASTER_GTID_WAIT on @@last_gtid) never does.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>

#include <fibersql/mysql/connection.hpp>
#include <fibersql/mysql/gtid.hpp>
#include <fibersql/runtime/runtime.hpp>
#include <fibersql/sql/errors.hpp>

#include "cluster/cluster_env.hpp"
#include "support/test_env.hpp"

namespace fibersql {
namespace {

using namespace std::chrono_literals;
using fibersql::testing::run_monitored;

class replication : public ::testing::Test {
 protected:
  void SetUp() override { FIBERSQL_REQUIRE_REPLICATION(); }
};

// The replica applies nothing while its SQL thread is stopped (its IO thread still fetches).
void set_applier(mysql::connection& replica_admin, bool running) {
  replica_admin.query(running ? "START SLAVE SQL_THREAD" : "STOP SLAVE SQL_THREAD");
}

bool replica_has(mysql::connection& replica, std::int64_t id) {
  return !replica.query("SELECT id FROM ryw_rows WHERE id = ?", {value(id)}).rows.empty();
}

void make_table(mysql::connection& primary, mysql::connection& replica) {
  primary.query("DROP TABLE IF EXISTS ryw_rows");
  primary.query("CREATE TABLE ryw_rows (id BIGINT PRIMARY KEY) ENGINE=InnoDB");
  ASSERT_TRUE(mysql::wait_for_gtid(replica, mysql::last_commit_gtid(primary), 30s)) << "the replica is not replicating";
}

TEST_F(replication, without_the_wait_a_delayed_replica_misses_the_write_with_it_never) {
  run_monitored(
      [&] {
        auto primary = mysql::connection::open(testing::primary_url());
        auto replica = mysql::connection::open(testing::replica_url());
        auto admin = mysql::connection::open(testing::replica_admin_url());
        make_table(*primary, *replica);
        set_applier(*admin, false);
        primary->query("INSERT INTO ryw_rows VALUES (1)");
        const std::string gtid = mysql::last_commit_gtid(*primary);
        ASSERT_FALSE(gtid.empty());
        EXPECT_FALSE(replica_has(*replica, 1)) << "the control: a stopped applier cannot have the row";
        EXPECT_FALSE(mysql::wait_for_gtid(*replica, gtid, 200ms))
            << "not applied: the wait times out (read the primary)";
        set_applier(*admin, true);
        EXPECT_TRUE(mysql::wait_for_gtid(*replica, gtid, 30s));
        EXPECT_TRUE(replica_has(*replica, 1)) << "applied: the replica has the caller's own row";
      },
      2s);
}

// The load: 1,000 times "insert on the primary, read it back on the replica" while
// another fiber keeps stopping and starting the replica's applier. The read before the wait is
// the control (it must miss sometimes, or the test proves nothing); the read after it never
// may.
TEST_F(replication, a_thousand_reads_after_waiting_for_the_commit_gtid_never_miss) {
  run_monitored(
      [&] {
        auto primary = mysql::connection::open(testing::primary_url());
        auto replica = mysql::connection::open(testing::replica_url());
        auto admin = mysql::connection::open(testing::replica_admin_url());
        make_table(*primary, *replica);
        bool done = false;
        fiber lagger = spawn([&] {
          while (!done) {
            set_applier(*admin, false);
            this_fiber::sleep_for(3ms);
            set_applier(*admin, true);
            this_fiber::sleep_for(1ms);
          }
        });
        int misses_without_wait = 0, misses_after_wait = 0, timeouts = 0;
        for (std::int64_t id = 1; id <= 1000; ++id) {
          primary->query("INSERT INTO ryw_rows VALUES (?)", {value(id)});
          const std::string gtid = mysql::last_commit_gtid(*primary);
          if (!replica_has(*replica, id)) ++misses_without_wait;
          if (!mysql::wait_for_gtid(*replica, gtid, 10s)) {
            ++timeouts;
            continue;
          }
          if (!replica_has(*replica, id)) ++misses_after_wait;
        }
        done = true;
        lagger.join();
        set_applier(*admin, true);
        EXPECT_EQ(misses_after_wait, 0);
        EXPECT_EQ(timeouts, 0);
        EXPECT_GT(misses_without_wait, 0) << "the delayed replica never lagged: the control shows nothing";
        std::printf("read-your-writes: %d of 1000 immediate replica reads missed; 0 after the GTID wait\n",
                    misses_without_wait);
      },
      2s);
}

TEST_F(replication, writes_on_the_read_only_replica_are_refused_typed) {
  run_monitored([&] {
    auto replica = mysql::connection::open(testing::replica_url());
    try {
      replica->query("CREATE TABLE ryw_refused (id INT)");
      ADD_FAILURE() << "a read_only replica accepted a write";
    } catch (const database_error& e) {
      EXPECT_EQ(e.code(), 1290u) << e.what();
    }
  });
}

TEST_F(replication, an_empty_position_needs_no_wait_and_a_negative_limit_is_refused) {
  run_monitored([&] {
    auto primary = mysql::connection::open(testing::primary_url());
    EXPECT_TRUE(mysql::wait_for_gtid(*primary, "", 1s)) << "nothing to wait for";
    EXPECT_THROW(mysql::wait_for_gtid(*primary, "0-1-1", -1s), interface_error);
  });
}

}  // namespace
}  // namespace fibersql
