// atomic(fn, {.retry_on_conflict = N}) on MariaDB with a real InnoDB deadlock (errno 1213):
// re-runs the whole callable only with the opt-in, only for a conflict, only at the outermost
// scope, never after a lost connection. The Galera form (1213 at COMMIT) is in tests/cluster.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

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

void make_rows(database& db) {
  db.execute("DROP TABLE IF EXISTS retry_rows");
  db.execute("CREATE TABLE retry_rows (id INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB");
  db.execute("INSERT INTO retry_rows VALUES (1, 0), (2, 0)");
}

std::int64_t sum(database& db) {
  return db.query("SELECT CAST(SUM(v) AS SIGNED) FROM retry_rows").rows.at(0).get<std::int64_t>(0);
}

// Two fibers lock rows 1 and 2 in opposite orders: InnoDB breaks the cycle by rolling back one
// of them with 1213. Each run of `body` adds 1 to both rows; `runs` counts runs per fiber.
struct deadlock_pair {
  database& db;
  event a_locked, b_locked;
  int runs[2] = {0, 0};

  void body(int who) {
    ++runs[who];
    const int first = who == 0 ? 1 : 2, second = who == 0 ? 2 : 1;
    db.execute("UPDATE retry_rows SET v = v + 1 WHERE id = ?", {value(first)});
    (who == 0 ? a_locked : b_locked).set();
    (who == 0 ? b_locked : a_locked).wait(10s);
    db.execute("UPDATE retry_rows SET v = v + 1 WHERE id = ?", {value(second)});
  }
};

TEST(conflict_retry, without_the_opt_in_a_deadlock_victim_fails_typed_and_runs_once) {
  FIBERSQL_REQUIRE_MYSQL();
  database db{test_mysql_url()};
  run_monitored(
      [&] {
        make_rows(db);
        deadlock_pair pair{db};
        int conflicts = 0;
        auto run = [&](int who) {
          try {
            db.atomic([&] { pair.body(who); });
          } catch (const operational_error& e) {
            EXPECT_EQ(e.code(), 1213u) << e.what();
            ++conflicts;
          }
        };
        fiber a = spawn([&] { run(0); });
        fiber b = spawn([&] { run(1); });
        a.join();
        b.join();
        EXPECT_EQ(conflicts, 1);
        EXPECT_EQ(pair.runs[0] + pair.runs[1], 2) << "no run without the opt-in";
        EXPECT_EQ(sum(db), 2) << "only the winner's two updates landed";
      },
      2s);
}

TEST(conflict_retry, with_the_opt_in_the_victim_runs_again_and_both_land_once) {
  FIBERSQL_REQUIRE_MYSQL();
  database db{test_mysql_url()};
  run_monitored(
      [&] {
        make_rows(db);
        deadlock_pair pair{db};
        auto run = [&](int who) { db.atomic([&] { pair.body(who); }, {.retry_on_conflict = 3}); };
        fiber a = spawn([&] { run(0); });
        fiber b = spawn([&] { run(1); });
        a.join();  // rethrows anything the fiber died with
        b.join();
        EXPECT_EQ(pair.runs[0] + pair.runs[1], 3) << "the victim ran once more, the winner once";
        EXPECT_EQ(sum(db), 4) << "each fiber's two updates landed exactly once";
      },
      2s);
}

TEST(conflict_retry, returns_the_value_of_the_run_that_committed) {
  FIBERSQL_REQUIRE_MYSQL();
  database db{test_mysql_url()};
  run_monitored([&] {
    make_rows(db);
    int runs = 0;
    const std::int64_t v = db.atomic(
        [&](transaction& tx) {
          ++runs;
          EXPECT_EQ(tx.depth(), 1u);
          db.execute("UPDATE retry_rows SET v = v + 5 WHERE id = 1");
          return db.query("SELECT v FROM retry_rows WHERE id = 1").rows.at(0).get<std::int64_t>(0);
        },
        {.retry_on_conflict = 2});
    EXPECT_EQ(v, 5);
    EXPECT_EQ(runs, 1);
  });
}

TEST(conflict_retry, other_errors_are_never_retried) {
  FIBERSQL_REQUIRE_MYSQL();
  database db{test_mysql_url()};
  run_monitored([&] {
    make_rows(db);
    int runs = 0;
    EXPECT_THROW(db.atomic(
                     [&] {
                       ++runs;
                       db.execute("UPDATE retry_rows SET v = v + 1 WHERE id = 1");
                       db.execute("INSERT INTO retry_rows VALUES (1, 0)");  // duplicate key
                     },
                     {.retry_on_conflict = 3}),
                 integrity_error);
    EXPECT_EQ(runs, 1);
    EXPECT_EQ(sum(db), 0);
  });
}

TEST(conflict_retry, a_lost_connection_is_never_retried_the_outcome_being_unknown) {
  FIBERSQL_REQUIRE_MYSQL();
  database db{test_mysql_url()};
  run_monitored([&] {
    testing::admin admin;
    make_rows(db);
    int runs = 0;
    EXPECT_THROW(db.atomic(
                     [&] {
                       ++runs;
                       db.execute("UPDATE retry_rows SET v = v + 1 WHERE id = 1");
                       admin.kill_connection(db.connection().server_thread_id());
                     },
                     {.retry_on_conflict = 3}),
                 operational_error);
    EXPECT_EQ(runs, 1);
    EXPECT_EQ(sum(db), 0);
  });
}

TEST(conflict_retry, an_inner_scope_does_not_retry_the_conflict_reaches_the_outer_one) {
  FIBERSQL_REQUIRE_MYSQL();
  database db{test_mysql_url()};
  run_monitored(
      [&] {
        make_rows(db);
        deadlock_pair pair{db};
        int outer_runs[2] = {0, 0};
        int conflicts = 0;
        auto run = [&](int who) {
          try {
            db.atomic([&] {
              ++outer_runs[who];
              // The deadlock rolled back the whole transaction: re-running the savepoint alone
              // would commit half of it.
              db.atomic([&] { pair.body(who); }, {.retry_on_conflict = 3});
            });
          } catch (const operational_error& e) {
            EXPECT_EQ(e.code(), 1213u) << e.what();
            ++conflicts;
          }
        };
        fiber a = spawn([&] { run(0); });
        fiber b = spawn([&] { run(1); });
        a.join();
        b.join();
        EXPECT_EQ(conflicts, 1);
        EXPECT_EQ(pair.runs[0] + pair.runs[1], 2);
        EXPECT_EQ(sum(db), 2);
      },
      2s);
}

}  // namespace
}  // namespace fibersql::db
