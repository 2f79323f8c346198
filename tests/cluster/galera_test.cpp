// db::database on a real 3-node Galera cluster: a certification conflict at COMMIT is a typed
// 1213, a node without quorum refuses with 1047 and says why.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

#include <fibersql/db/database.hpp>
#include <fibersql/mysql/options.hpp>
#include <fibersql/mysql/wsrep_health.hpp>
#include <fibersql/runtime/runtime.hpp>
#include <fibersql/sql/errors.hpp>

#include "cluster/cluster_env.hpp"
#include "support/test_env.hpp"

namespace fibersql::db {
namespace {

using namespace std::chrono_literals;
using fibersql::testing::galera_url;
using fibersql::testing::run_monitored;

class galera : public ::testing::Test {
 protected:
  void SetUp() override {
    FIBERSQL_REQUIRE_GALERA();
    // A test before this one may have killed nodes: start from three Synced nodes.
    ASSERT_EQ(testing::galera_script("heal"), 0);
  }
  void TearDown() override {
    if (!galera_url(1).empty()) {
      EXPECT_EQ(testing::galera_script("heal"), 0);
    }
  }
};

std::string status_of(database& db, const char* name) {
  const result r = db.query(std::string("SHOW GLOBAL STATUS LIKE '") + name + "'");
  return r.rows.empty() ? std::string() : r.rows.at(0).get<std::string>(1);
}

void make_counter(database& db) {
  db.execute("DROP TABLE IF EXISTS g_counter");
  db.execute("CREATE TABLE g_counter (id INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB");
  db.execute("INSERT INTO g_counter VALUES (1, 0)");
}

std::int64_t counter(database& db) {
  return db.query("SELECT v FROM g_counter WHERE id = 1").rows.at(0).get<std::int64_t>(0);
}

// Waits until `db`'s node has applied everything committed anywhere before this call.
void sync_reads(database& db) {
  db.execute("SET SESSION wsrep_sync_wait = 1");
}

TEST_F(galera, conflicting_updates_on_two_nodes_one_fails_with_1213_at_commit) {
  database node1{galera_url(1)};
  database node2{galera_url(2)};
  run_monitored(
      [&] {
        make_counter(node1);
        sync_reads(node2);
        ASSERT_EQ(counter(node2), 0);  // the table and its row reached node 2
        int updated = 0;
        event both_updated;
        int committed = 0;
        struct failure_seen {
          unsigned code;
          std::string sqlstate, what;
          bool poisons;
        };
        std::optional<failure_seen> failure;
        auto writer = [&](database& db) {
          transaction tx = db.atomic();
          db.execute("UPDATE g_counter SET v = v + 1 WHERE id = 1");
          // Each node holds its own row lock only: Galera certifies at COMMIT, cluster-wide.
          if (++updated == 2) both_updated.set();
          both_updated.wait(10s);
          try {
            tx.commit();
            ++committed;
          } catch (const operational_error& e) {
            failure = failure_seen{e.code(), e.sqlstate(), e.what(), e.poisons_connection()};
          }
        };
        fiber a = spawn([&] { writer(node1); });
        fiber b = spawn([&] { writer(node2); });
        a.join();
        b.join();
        EXPECT_EQ(committed, 1) << "exactly one of two conflicting transactions may commit";
        ASSERT_TRUE(failure.has_value());
        EXPECT_EQ(failure->code, 1213u) << failure->what;
        EXPECT_EQ(failure->sqlstate, "40001");
        EXPECT_FALSE(failure->poisons) << "a lost certification leaves the session usable";
        sync_reads(node1);
        EXPECT_EQ(counter(node1), 1) << "the winner's update landed once, the loser's not at all";
      },
      2s);
}

TEST_F(galera, with_retry_on_conflict_both_updates_land_exactly_once) {
  database node1{galera_url(1)};
  database node2{galera_url(2)};
  run_monitored(
      [&] {
        make_counter(node1);
        sync_reads(node2);
        ASSERT_EQ(counter(node2), 0);
        int updated = 0;
        int runs = 0;
        event both_updated;
        auto writer = [&](database& db) {
          db.atomic(
              [&] {
                ++runs;
                // The loser's node applied the winner's writeset before failing the loser's
                // COMMIT (certification is in total order), so its re-run adds to the new value.
                db.execute("UPDATE g_counter SET v = v + 1 WHERE id = 1");
                if (++updated == 2) both_updated.set();
                both_updated.wait(10s);  // set once: later runs pass straight through
              },
              {.retry_on_conflict = 3});
        };
        fiber a = spawn([&] { writer(node1); });
        fiber b = spawn([&] { writer(node2); });
        a.join();  // rethrows a conflict the retry did not absorb
        b.join();
        EXPECT_EQ(runs, 3) << "the loser ran its callable once more, the winner once";
        sync_reads(node1);
        sync_reads(node2);
        EXPECT_EQ(counter(node1), 2) << "both increments landed, each exactly once";
        EXPECT_EQ(counter(node2), 2);
      },
      2s);
}

TEST_F(galera, wsrep_check_passes_a_synced_node) {
  database node3{galera_url(3) + "?wsrep_check=1"};
  run_monitored([&] {
    EXPECT_EQ(node3.query("SELECT 1").rows.at(0).get<std::int64_t>(0), 1);
    const mysql::wsrep_health h = mysql::read_wsrep_health(node3.connection());
    EXPECT_TRUE(h.galera);
    EXPECT_TRUE(h.ready);
    EXPECT_EQ(h.local_state, "Synced");
    EXPECT_EQ(h.cluster_status, "Primary");
  });
}

// "mysql://u:p@127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3/db?hosts=...&wsrep_check=1"
std::string all_nodes_url(const std::string& query) {
  const std::string first = galera_url(1);
  std::string list;
  for (int n = 1; n <= 3; ++n) {
    const mysql::connect_options o = mysql::parse_url(galera_url(n));
    list += (n > 1 ? "," : "") + o.host + ":" + std::to_string(o.port);
  }
  const auto at = first.rfind('@'), slash = first.find('/', at);
  return first.substr(0, at + 1) + list + first.substr(slash) + "?" + query;
}

TEST_F(galera, multi_host_url_fails_over_past_a_killed_node) {
  database db{all_nodes_url("hosts=ordered&wsrep_check=1&connect_timeout=2")};
  run_monitored(
      [&] {
        EXPECT_EQ(db.query("SELECT @@wsrep_node_name").rows.at(0).get<std::string>(0), "node1");
        db.close();
        testing::kill_galera_node(1);
        // Node 1's port now refuses: the connect moves on to node 2, which is ready once the
        // group has evicted node 1 (writes stall for evs.suspect_timeout until then).
        EXPECT_EQ(db.query("SELECT @@wsrep_node_name").rows.at(0).get<std::string>(0), "node2");
        EXPECT_EQ(db.execute("DO 1").affected_rows, 0u);
      },
      2s);
}

TEST_F(galera, survivor_without_quorum_refuses_with_1047_not_ready) {
  database node1{galera_url(1)};
  run_monitored(
      [&] {
        make_counter(node1);
        testing::kill_galera_node(2);
        testing::kill_galera_node(3);
        // The survivor notices after evs.suspect_timeout (2 s in the script) that it is alone,
        // one node of three: no quorum, so it leaves the Primary component.
        std::string cluster_status;
        for (int i = 0; i < 150 && cluster_status != "non-Primary"; ++i) {
          this_fiber::sleep_for(100ms);
          cluster_status = status_of(node1, "wsrep_cluster_status");
        }
        ASSERT_EQ(cluster_status, "non-Primary");
        EXPECT_EQ(status_of(node1, "wsrep_ready"), "OFF");
        try {
          node1.execute("UPDATE g_counter SET v = v + 1 WHERE id = 1");
          ADD_FAILURE() << "a node without quorum accepted a write";
        } catch (const operational_error& e) {
          EXPECT_EQ(e.code(), 1047u) << e.what();
          EXPECT_NE(std::string(e.what()).find("WSREP has not yet prepared node"), std::string::npos) << e.what();
        }
        EXPECT_THROW(node1.query("SELECT v FROM g_counter"), operational_error)
            << "reads are refused too: the node's data may be stale";
        // With wsrep_check the refusal comes at connect, before any statement, and says why.
        try {
          database checked{galera_url(1) + "?wsrep_check=1"};
          checked.connection();
          ADD_FAILURE() << "wsrep_check connected to a node without quorum";
        } catch (const operational_error& e) {
          EXPECT_EQ(e.code(), 1047u);
          EXPECT_NE(std::string(e.what()).find("not ready: wsrep_ready=OFF, wsrep_cluster_status=non-Primary"),
                    std::string::npos)
              << e.what();
        }
      },
      2s);
}

}  // namespace
}  // namespace fibersql::db
