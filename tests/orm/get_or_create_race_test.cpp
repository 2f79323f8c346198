// get_or_create under a real race (design §7.10): 200 fibers on one key against MariaDB
// through the pool get the same single row and no exception; a naive select-then-insert in
// the same setting loses (the control that shows the race is real).
#include <gtest/gtest.h>

#include <algorithm>

#include <fibersql/pool/pool.hpp>
#include <fibersql/runtime/runtime.hpp>

#include "models.hpp"
#include "support/test_env.hpp"

namespace {
using namespace app;

fibersql::db::database_options count_locking_reads(int& n) {
  fibersql::db::database_options o;
  o.on_statement = [&n](const fibersql::db::statement_event& e) {
    if (e.sql.find("LOCK IN SHARE MODE") != std::string_view::npos) ++n;
  };
  return o;
}

TEST(OrmMariadbRace, TwoHundredFibersGetOrCreateOneKey) {
  FIBERSQL_REQUIRE_MYSQL();
  fibersql::run([&] {
    int locking_reads = 0;
    auto db = fibersql::pool::make_database(fibersql::testing::test_mysql_url(), {.max_open = 20},
                                            count_locking_reads(locking_reads));
    fibersql::spawn([&] {
      orm::drop_tables(db, tweets, users);
      orm::create_tables(db, tweets, users);
    }).join();

    // One race on `key`: every fiber gets the one row, none throws. Returns whether any fiber
    // lost the insert race (took the locking re-read): on a loaded machine the first fiber can
    // now and then commit before the others have read, so the caller runs a few rounds.
    auto race = [&](const std::string& key) {
      const int locking_before = locking_reads;
      fibersql::event go, all_connected;
      int connected = 0;
      std::vector<std::int64_t> ids(200, -1);
      std::vector<int> created(200, 0);
      int failures = 0;
      std::string first_failure;
      fibersql::fiber_group group(200);
      for (std::size_t i = 0; i < ids.size(); ++i) {
        group.spawn([&, i] {
          // Connected before the start, so the first 20 race on their reads and inserts, not
          // on how fast each opens its connection (the rest wait for one in acquire()).
          db.connection();
          if (++connected == 20) all_connected.set();
          go.wait();
          try {
            auto [u, made] = orm::get_or_create(db, users, users.username == key, user{.username = key});
            ids[i] = u.id;
            created[i] = made ? 1 : 0;
          } catch (const std::exception& e) {
            if (failures++ == 0) first_failure = e.what();
          }
        });
      }
      all_connected.wait();  // the pool's 20 connections are open and held
      go.set();
      group.join();
      EXPECT_EQ(failures, 0) << first_failure;
      std::int64_t rows = -1, id = 0;
      fibersql::spawn([&] {
        rows = orm::select(users).where(users.username == key).count(db);
        id = orm::get(db, users, users.username == key).id;
      }).join();
      EXPECT_EQ(rows, 1) << key;
      for (std::int64_t x : ids) EXPECT_EQ(x, id) << key;
      EXPECT_EQ(std::count(created.begin(), created.end(), 1), 1) << key;
      return locking_reads > locking_before;
    };
    bool lost_a_race = false;
    for (int round = 0; round < 5 && !lost_a_race && !::testing::Test::HasFailure(); ++round)
      lost_a_race = race("racer" + std::to_string(round));
    EXPECT_TRUE(lost_a_race) << "in 5 rounds no fiber lost the insert race: the re-read path was never taken";

    // Control: the naive way (select, then insert when absent) with the same start loses.
    // The 20 fibers all read before any inserts, so all but one insert fails.
    fibersql::event all_read;
    int read = 0, duplicates = 0;
    fibersql::fiber_group naive(20);
    for (int i = 0; i < 20; ++i) {
      naive.spawn([&] {
        const bool absent = !orm::get_or_none(db, users, users.username == "naive");
        if (++read == 20) all_read.set();
        all_read.wait();
        if (!absent) return;
        try {
          user u{.username = "naive"};
          orm::insert(db, u);
        } catch (const fibersql::integrity_error&) {
          ++duplicates;
        }
      });
    }
    naive.join();
    EXPECT_EQ(duplicates, 19);
    fibersql::spawn([&] { orm::drop_tables(db, tweets, users); }).join();
  });
}

}  // namespace

namespace {
using namespace app;

// A fiber killed in the middle of insert_many (between its statements) commits nothing, and
// the database serves the next fiber normally (its connection rolled back, or discarded).
TEST(OrmMariadbKill, KilledMidBulkInsertCommitsNothing) {
  FIBERSQL_REQUIRE_MYSQL();
  fibersql::run([&] {
    int inserts = 0;
    fibersql::event second_insert;
    fibersql::db::database_options o;
    o.on_statement = [&](const fibersql::db::statement_event& e) {
      if (e.sql.starts_with("INSERT") && ++inserts == 2) second_insert.set();
    };
    auto db = fibersql::pool::make_database(fibersql::testing::test_mysql_url(), {.max_open = 2}, std::move(o));
    fibersql::spawn([&] {
      orm::drop_tables(db, tweets, users);
      orm::create_tables(db, tweets, users);
    }).join();
    fibersql::fiber writer = fibersql::spawn([&] {
      std::vector<user> rows;
      for (int i = 0; i < 2000; ++i) rows.push_back({.username = std::string("k") + std::to_string(i)});
      orm::insert_many(db, rows, {.max_rows = 10});  // 200 statements
    });
    second_insert.wait();
    writer.kill();
    writer.join();  // a killed fiber ends normally; killed() says why
    EXPECT_TRUE(writer.killed());
    std::int64_t rows = -1;
    fibersql::spawn([&] {
      rows = orm::select(users).count(db);
      user after{.username = "after"};
      orm::insert(db, after);  // the database works normally afterwards
      orm::drop_tables(db, tweets, users);
    }).join();
    EXPECT_EQ(rows, 0);
    EXPECT_LT(inserts, 200);
  });
}

}  // namespace
