// db::replicated_database over Galera nodes (replica_sync::wsrep_sync_wait): a write on one
// node read at once on another never misses with the causal wait, on the reads that ask for it
// only; a control read on the same node without the wait does miss while its applier is behind.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <fibersql/db/database.hpp>
#include <fibersql/db/replicated_database.hpp>
#include <fibersql/runtime/runtime.hpp>

#include "cluster/cluster_env.hpp"
#include "support/test_env.hpp"

namespace fibersql::db {
namespace {

using namespace std::chrono_literals;
using fibersql::testing::galera_url;
using fibersql::testing::run_monitored;

class galera_split : public ::testing::Test {
 protected:
  void SetUp() override {
    FIBERSQL_REQUIRE_GALERA();
    ASSERT_EQ(testing::galera_script("heal"), 0);
  }
  void TearDown() override {
    if (!galera_url(1).empty()) EXPECT_EQ(testing::galera_script("heal"), 0);
  }
};

// Writes on node 1, reads that ask for a replica on node 2.
replicated_database make_split() {
  std::vector<database> replicas;
  replicas.emplace_back(galera_url(2));
  return replicated_database(database(galera_url(1)), std::move(replicas), {.sync = replica_sync::wsrep_sync_wait});
}

// The node's count of reads that ran with a causal wait (all sessions).
std::int64_t causal_reads(database& node) {
  return std::stoll(node.query("SHOW GLOBAL STATUS LIKE 'wsrep_causal_reads'").rows.at(0).get<std::string>(1));
}

bool has_row(const result& r) {
  return !r.rows.empty();
}

TEST_F(galera_split, a_write_read_at_once_on_another_node_never_misses_with_the_causal_wait) {
  replicated_database db = make_split();
  database control{galera_url(2)};  // node 2 read without the wait
  database loader{galera_url(3)};   // keeps node 2's applier busy with large write sets
  run_monitored(
      [&] {
        db.execute("DROP TABLE IF EXISTS g_rows");
        db.execute("CREATE TABLE g_rows (id BIGINT PRIMARY KEY) ENGINE=InnoDB");
        loader.execute("DROP TABLE IF EXISTS g_pad");
        loader.execute("CREATE TABLE g_pad (id INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB");
        loader.execute("INSERT INTO g_pad SELECT seq, 0 FROM seq_1_to_300");  // MariaDB's Sequence engine
        db.query("SELECT COUNT(*) FROM g_rows", {}, read_from::replica);      // node 2 has both tables
        bool done = false;
        fiber load = spawn([&] {
          while (!done) loader.execute("UPDATE g_pad SET v = v + 1");
        });
        int control_misses = 0, query_misses = 0, read_misses = 0;
        for (std::int64_t id = 1; id <= 3000; ++id) {
          db.execute("INSERT INTO g_rows VALUES (?)", {value(id)});
          const std::vector<value> key{value(id)};
          switch (id % 3) {
            case 0:  // the control: same node, same moment, no wait
              if (!has_row(control.query("SELECT id FROM g_rows WHERE id = ?", key))) ++control_misses;
              break;
            case 1:  // query(): the wait rides on the statement (SET STATEMENT ... FOR)
              if (!has_row(db.query("SELECT id FROM g_rows WHERE id = ?", key, read_from::replica))) ++query_misses;
              break;
            default:  // read(fn): a causal barrier, then fn's statements (the ORM's form)
              if (!has_row(db.read([&](database& d) { return d.query("SELECT id FROM g_rows WHERE id = ?", key); },
                                   read_from::replica)))
                ++read_misses;
          }
        }
        done = true;
        load.join();
        EXPECT_EQ(query_misses, 0);
        EXPECT_EQ(read_misses, 0);
        EXPECT_GT(control_misses, 0) << "node 2's applier never lagged: the control shows nothing";
        EXPECT_EQ(db.stats().replica_reads, 2001u);
        EXPECT_EQ(db.stats().down_fallbacks, 0u);
        std::printf("[ galera split ] control missed %d of 1000; causal query() 0 of 1000, read(fn) 0 of 1000\n",
                    control_misses);
      },
      2s);
}

TEST_F(galera_split, only_the_reads_that_ask_pay_for_the_causal_wait) {
  replicated_database db = make_split();
  database node1{galera_url(1)};
  database node2{galera_url(2)};
  run_monitored([&] {
    const std::int64_t node1_before = causal_reads(node1), node2_before = causal_reads(node2);
    for (int i = 0; i < 100; ++i) db.query("SELECT 1");  // did not ask: the primary, no wait
    EXPECT_EQ(causal_reads(node1), node1_before) << "a read that did not ask paid for the wait";
    EXPECT_EQ(causal_reads(node2), node2_before);
    for (int i = 0; i < 100; ++i) db.query("SELECT 1", {}, read_from::replica);
    {
      auto scope = db.read_only();
      for (int i = 0; i < 100; ++i) db.read([](database& d) { return d.query("SELECT 1"); });
    }
    EXPECT_EQ(causal_reads(node2) - node2_before, 200) << "one causal wait per read that asked";
    EXPECT_EQ(causal_reads(node1), node1_before);
    EXPECT_EQ(db.stats().waited_reads, 200u);
    db.execute("SET @x = 1");  // a write: no @@last_gtid round trip on Galera
    db.atomic([&] { EXPECT_EQ(db.query("SELECT @@wsrep_sync_wait").rows.at(0).get<std::int64_t>(0), 0); });
    EXPECT_EQ(db.query("SELECT @@wsrep_sync_wait", {}, read_from::replica).rows.at(0).get<std::int64_t>(0), 1)
        << "the statement-level setting applies to the read itself";
    EXPECT_EQ(node2.query("SELECT @@wsrep_sync_wait").rows.at(0).get<std::int64_t>(0), 0);
  });
}

}  // namespace
}  // namespace fibersql::db
