// db::replicated_database on a real GTID primary + replica: writes and atomic() on the
// primary, reads on the replica only when asked, read-your-writes under a delayed replica (raw
// SQL and the ORM through read()/write()), and what happens when either server is killed.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <fibersql/db/database.hpp>
#include <fibersql/db/replicated_database.hpp>
#include <fibersql/mysql/connection.hpp>
#include <fibersql/orm/orm.hpp>
#include <fibersql/runtime/runtime.hpp>
#include <fibersql/sql/errors.hpp>

#include "cluster/cluster_env.hpp"
#include "support/test_env.hpp"

struct split_order {
  std::int64_t id = 0;
  std::int64_t customer = 0;
};
FIBERSQL_TABLE(split_orders, split_order, (id, auto_increment), (customer, index));

namespace fibersql::db {
namespace {

using namespace std::chrono_literals;
using fibersql::testing::run_monitored;

class replication_split : public ::testing::Test {
 protected:
  void SetUp() override {
    FIBERSQL_REQUIRE_REPLICATION();
    // A test that failed mid-way may have left the replica's applier stopped.
    run_monitored([] { mysql::connection::open(testing::replica_admin_url())->query("START SLAVE"); });
  }
  void TearDown() override {
    if (testing::primary_url().empty()) return;
    // A test may have killed a server: bring both back (the replica reconnects within 1 s).
    EXPECT_EQ(testing::replication_script("restart", "primary"), 0);
    EXPECT_EQ(testing::replication_script("restart", "replica"), 0);
  }
};

std::string with_timeout(const std::string& url) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "connect_timeout=2";
}

replicated_database make_split(clock::duration gtid_wait = 10s) {
  std::vector<database> replicas;
  replicas.emplace_back(with_timeout(testing::replica_url()));
  return replicated_database(database(with_timeout(testing::primary_url())), std::move(replicas),
                             {.gtid_wait = gtid_wait});
}

bool has_row(const result& r) {
  return !r.rows.empty();
}

void make_table(replicated_database& db) {
  db.execute("DROP TABLE IF EXISTS split_rows");
  db.execute("CREATE TABLE split_rows (id BIGINT PRIMARY KEY) ENGINE=InnoDB");
  // A routed read waits for the CREATE, so the replica has the table before any test reads it.
  auto scope = db.read_only();
  db.query("SELECT COUNT(*) FROM split_rows");
  ASSERT_GE(db.stats().waited_reads, 1u);
}

TEST_F(replication_split, a_thousand_inserts_read_back_through_the_replica_route_never_miss) {
  replicated_database db = make_split();
  database control{testing::replica_url()};  // the same replica, read without the wait
  run_monitored(
      [&] {
        auto admin = mysql::connection::open(testing::replica_admin_url());
        make_table(db);
        bool done = false;
        fiber lagger = spawn([&] {  // keeps the replica's applier behind
          while (!done) {
            admin->query("STOP SLAVE SQL_THREAD");
            this_fiber::sleep_for(3ms);
            admin->query("START SLAVE SQL_THREAD");
            this_fiber::sleep_for(1ms);
          }
        });
        int control_misses = 0, routed_misses = 0;
        for (std::int64_t id = 1; id <= 1000; ++id) {
          db.execute("INSERT INTO split_rows VALUES (?)", {value(id)});
          if (!has_row(control.query("SELECT id FROM split_rows WHERE id = ?", {value(id)}))) ++control_misses;
          auto scope = db.read_only();
          if (!has_row(db.query("SELECT id FROM split_rows WHERE id = ?", {value(id)}))) ++routed_misses;
        }
        done = true;
        lagger.join();
        admin->query("START SLAVE SQL_THREAD");
        EXPECT_EQ(routed_misses, 0);
        EXPECT_GT(control_misses, 0) << "the replica never lagged: the control shows nothing";
        EXPECT_GE(db.stats().replica_reads, 900u) << "the reads were meant for the replica, not the primary";
        EXPECT_EQ(db.stats().down_fallbacks, 0u);
        std::printf("[ split ] control missed %d of 1000; routed 0; replica reads %zu, lag fallbacks %zu\n",
                    control_misses, db.stats().replica_reads, db.stats().lag_fallbacks);
      },
      2s);
}

// The ORM over the split: orm::insert through write() (the primary, position recorded),
// orm::get_or_none through read(..., read_from::replica) (the replica after the wait).
TEST_F(replication_split, orm_inserts_read_back_through_the_replica_route_never_miss) {
  replicated_database db = make_split();
  database control{testing::replica_url()};  // the same replica, read without the wait
  run_monitored(
      [&] {
        auto admin = mysql::connection::open(testing::replica_admin_url());
        db.write([](database& d) {
          d.execute("DROP TABLE IF EXISTS split_orders");
          orm::create_tables(d, split_orders);
        });
        db.read([](database& d) { return orm::select(split_orders).count(d); }, read_from::replica);
        bool done = false;
        fiber lagger = spawn([&] {  // keeps the replica's applier behind
          while (!done) {
            admin->query("STOP SLAVE SQL_THREAD");
            this_fiber::sleep_for(3ms);
            admin->query("START SLAVE SQL_THREAD");
            this_fiber::sleep_for(1ms);
          }
        });
        const replicated_stats before = db.stats();
        int control_misses = 0, routed_misses = 0;
        for (std::int64_t i = 1; i <= 1000; ++i) {
          split_order row{.customer = i};
          db.write([&](database& d) { orm::insert(d, row); });
          const auto mine = split_orders.id == row.id;
          if (!orm::get_or_none(control, split_orders, mine)) ++control_misses;
          const std::optional<split_order> back =
              db.read([&](database& d) { return orm::get_or_none(d, split_orders, mine); }, read_from::replica);
          if (!back || back->customer != i) ++routed_misses;
        }
        done = true;
        lagger.join();
        admin->query("START SLAVE SQL_THREAD");
        const std::size_t replica_reads = db.stats().replica_reads - before.replica_reads;
        EXPECT_EQ(routed_misses, 0);
        EXPECT_GT(control_misses, 0) << "the replica never lagged: the control shows nothing";
        EXPECT_GE(replica_reads, 900u) << "the reads were meant for the replica, not the primary";
        EXPECT_GE(db.stats().waited_reads - before.waited_reads, 900u) << "each routed read waited for its insert";
        EXPECT_EQ(db.stats().down_fallbacks, 0u);
        std::printf("[ orm split ] control missed %d of 1000; routed 0; replica reads %zu, lag fallbacks %zu\n",
                    control_misses, replica_reads, db.stats().lag_fallbacks - before.lag_fallbacks);
      },
      2s);
}

TEST_F(replication_split, orm_reads_stay_on_the_primary_unless_asked_and_inside_atomic) {
  replicated_database db = make_split();
  run_monitored([&] {
    db.write([](database& d) {
      d.execute("DROP TABLE IF EXISTS split_orders");
      orm::create_tables(d, split_orders);
    });
    auto server_id = [](database& d) { return d.query("SELECT @@server_id").rows.at(0).get<std::int64_t>(0); };
    EXPECT_EQ(db.read(server_id), 1) << "read() without asking runs on the primary";
    EXPECT_NE(db.read(server_id, read_from::replica), 1);
    {
      auto scope = db.read_only();
      EXPECT_NE(db.read(server_id), 1) << "a read_only() scope asks for the replica";
    }
    db.atomic([&] {
      split_order row{.customer = 7};
      orm::insert(db.primary(), row);
      EXPECT_EQ(db.read(server_id, read_from::replica), 1) << "inside atomic() every read stays on the primary";
      EXPECT_TRUE(db.read([&](database& d) { return orm::get_or_none(d, split_orders, split_orders.id == row.id); },
                          read_from::replica))
          << "the transaction's own row, read on the primary";
    });
    EXPECT_EQ(db.read([](database& d) { return orm::select(split_orders).count(d); }, read_from::replica), 1)
        << "the commit's GTID was waited for";
    // A write() that throws half-way: its first INSERT committed, its position is unknown, so
    // the fiber's replica reads go to the primary (which has it) until its next recorded write.
    const std::size_t lag_fallbacks = db.stats().lag_fallbacks;
    EXPECT_THROW(db.write([](database& d) {
      d.execute("INSERT INTO split_orders (customer) VALUES (8)");
      d.execute("INSERT INTO no_such_table VALUES (1)");
    }),
                 fibersql::error);
    EXPECT_EQ(db.read(server_id, read_from::replica), 1) << "position unknown: the primary";
    EXPECT_EQ(db.stats().lag_fallbacks, lag_fallbacks + 1);
    split_order again{.customer = 9};
    db.write([&](database& d) { orm::insert(d, again); });
    EXPECT_NE(db.read(server_id, read_from::replica), 1) << "a recorded write: the replica again";
  });
}

TEST_F(replication_split, reads_stay_on_the_primary_unless_asked_and_atomic_is_read_your_writes) {
  replicated_database db = make_split();
  run_monitored([&] {
    make_table(db);
    auto primary_id = [&](read_from from) {
      return db.query("SELECT @@server_id", std::span<const value>{}, from).rows.at(0).get<std::int64_t>(0);
    };
    EXPECT_EQ(primary_id(read_from::primary), 1) << "no guess from the SQL text: a SELECT stays on the primary";
    const std::int64_t replica_id = primary_id(read_from::replica);
    EXPECT_NE(replica_id, 1);
    db.atomic([&] {
      db.execute("INSERT INTO split_rows VALUES (7)");
      auto scope = db.read_only();
      EXPECT_EQ(db.query("SELECT @@server_id").rows.at(0).get<std::int64_t>(0), 1)
          << "inside atomic() every statement runs on the primary";
    });
    auto scope = db.read_only();
    EXPECT_TRUE(has_row(db.query("SELECT id FROM split_rows WHERE id = 7"))) << "the commit's GTID was waited for";
    EXPECT_EQ(db.query("SELECT @@server_id").rows.at(0).get<std::int64_t>(0), replica_id);
  });
}

TEST_F(replication_split, replica_stopped_reads_fail_over_to_the_primary) {
  replicated_database db = make_split();
  run_monitored([&] { make_table(db); });
  ASSERT_EQ(testing::replication_script("kill", "replica"), 0);
  run_monitored([&] {
    db.execute("INSERT INTO split_rows VALUES (1)");
    auto scope = db.read_only();
    EXPECT_TRUE(has_row(db.query("SELECT id FROM split_rows WHERE id = 1")));
    EXPECT_EQ(db.query("SELECT @@server_id").rows.at(0).get<std::int64_t>(0), 1) << "served by the primary";
    EXPECT_GE(db.stats().down_fallbacks, 1u);
    const std::size_t down_fallbacks = db.stats().down_fallbacks;
    EXPECT_EQ(db.read([](database& d) { return d.query("SELECT @@server_id").rows.at(0).get<std::int64_t>(0); },
                      read_from::replica),
              1)
        << "read(fn) falls back to the primary too";
    EXPECT_EQ(db.stats().down_fallbacks, down_fallbacks + 1);
  });
}

TEST_F(replication_split, primary_stopped_writes_fail_typed_within_the_connect_timeout) {
  replicated_database db = make_split();
  run_monitored([&] { make_table(db); });
  ASSERT_EQ(testing::replication_script("kill", "primary"), 0);
  run_monitored([&] {
    const deadline started = clock::now();
    try {
      db.execute("INSERT INTO split_rows VALUES (1)");
      ADD_FAILURE() << "a write succeeded without a primary";
    } catch (const operational_error& e) {
      EXPECT_GT(e.code(), 0u) << e.what();  // 2013 on the old session or 2002/2003 reconnecting
    }
    EXPECT_LT(clock::now() - started, 5s) << "connect_timeout=2 bounds the failure";
    auto scope = db.read_only();
    EXPECT_NE(db.query("SELECT @@server_id").rows.at(0).get<std::int64_t>(0), 1)
        << "reads that ask for a replica still work: no promotion, no write";
  });
}

}  // namespace
}  // namespace fibersql::db
