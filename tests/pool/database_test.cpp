// The pool under a db::database: peewee-style code borrows at first use and returns when the
// fiber ends, and a fiber that dies inside atomic() has its transaction rolled back and its
// connection returned to the pool (not closed).
#include <gtest/gtest.h>

#include <memory>

#include <fibersql/db/database.hpp>
#include <fibersql/db/url_source.hpp>
#include <fibersql/pool/pool.hpp>
#include <fibersql/runtime/runtime.hpp>
#include <fibersql/sql/errors.hpp>

#include "support/admin.hpp"
#include "support/test_env.hpp"

namespace fibersql::pool {
namespace {

using namespace std::chrono_literals;

TEST(pool_database, fibers_borrow_at_first_use_and_return_at_their_end) {
  run([] {
    db::database db = make_database("sqlite::memory:", {.max_open = 4, .max_idle = 4});
    connection_pool* pool = pool_of(db);
    ASSERT_NE(pool, nullptr);
    db.execute("CREATE TABLE t (x INTEGER)");
    std::vector<fiber> fibers;
    for (int i = 0; i < 100; ++i) {
      fibers.push_back(spawn([&, i] {
        db.execute("INSERT INTO t VALUES (?)", {value(std::int64_t{i})});
        this_fiber::sleep_for(1ms);
      }));
    }
    join_all(fibers);
    EXPECT_EQ(db.execute("SELECT COUNT(*) FROM t").rows.at(0).get<int>(0), 100);
    const pool_stats s = pool->stats();
    EXPECT_LE(s.opened, 4u);
    EXPECT_EQ(s.in_use, 1u) << "only the main fiber still holds one";
    EXPECT_GT(s.wait_count, 0u);
  });
}

// How the fiber leaves its open transaction.
enum class ending {
  returns_from_atomic_scope,  // `auto tx = db.atomic()` still active when the fiber returns
  returns_with_begin_open,    // a raw begin() never finished: only the fiber-exit hook is left
  killed_inside_atomic,       // kill() while parked inside db.atomic(fn)
};

// A fiber ends inside a transaction with a borrowed connection: the transaction is rolled
// back and the connection goes back to the pool.
void end_inside_transaction(const std::string& url, ending how) {
  run([&] {
    auto pool = std::make_shared<connection_pool>(std::make_shared<db::url_source>(url),
                                                  pool_options{.max_open = 2, .max_idle = 2});
    db::database db = make_database(pool, {.on_abandoned_transaction = [](const db::abandoned_transaction&) {}});
    db.execute("DROP TABLE IF EXISTS pool_atomic_t");
    db.execute("CREATE TABLE pool_atomic_t (x INTEGER)");
    db.close();
    std::uint64_t thread_in_tx = 0;
    fiber victim = spawn(
        [&] {
          auto insert = [&] {
            db.execute("INSERT INTO pool_atomic_t VALUES (1)");
            thread_in_tx = db.connection().server_thread_id();
          };
          if (how == ending::returns_from_atomic_scope) {
            db::transaction tx = db.atomic();
            insert();
          } else if (how == ending::returns_with_begin_open) {
            db.connection().begin();
            insert();
          } else {
            db.atomic([&] {
              insert();
              this_fiber::sleep_for(1h);
            });
          }
        },
        {.name = "victim"});
    this_fiber::sleep_for(50ms);
    if (how == ending::killed_inside_atomic) {
      EXPECT_EQ(pool->stats().in_use, 1u);
      victim.kill();
    }
    victim.join();
    const pool_stats s = pool->stats();
    EXPECT_EQ(s.in_use, 0u) << "returned to the pool";
    // Every ending, a kill inside atomic() included (its rollback runs under a kill_shield),
    // returns a healthy, rolled-back connection that the pool reuses.
    EXPECT_EQ(s.broken_closed, 0u);
    EXPECT_EQ(s.idle, 1u);
    fiber next = spawn([&] {
      EXPECT_FALSE(db.connection().in_transaction());
      EXPECT_EQ(db.connection().server_thread_id(), thread_in_tx) << "the same connection came back";
      EXPECT_EQ(db.execute("SELECT COUNT(*) FROM pool_atomic_t").rows.at(0).get<int>(0), 0) << "rolled back";
      db.execute("DROP TABLE pool_atomic_t");
    });
    next.join();
    EXPECT_EQ(pool->stats().opened, 1u);
  });
}

TEST(pool_database, fiber_returning_inside_atomic_sqlite) {
  end_inside_transaction("sqlite::memory:", ending::returns_from_atomic_scope);
}
TEST(pool_database, fiber_returning_with_begin_open_sqlite) {
  end_inside_transaction("sqlite::memory:", ending::returns_with_begin_open);
}
TEST(pool_database, fiber_killed_inside_atomic_sqlite) {
  end_inside_transaction("sqlite::memory:", ending::killed_inside_atomic);
}

TEST(pool_database, fiber_returning_inside_atomic_mysql) {
  FIBERSQL_REQUIRE_MYSQL();
  end_inside_transaction(testing::test_mysql_url(), ending::returns_from_atomic_scope);
}
TEST(pool_database, fiber_returning_with_begin_open_mysql) {
  FIBERSQL_REQUIRE_MYSQL();
  end_inside_transaction(testing::test_mysql_url(), ending::returns_with_begin_open);
}
TEST(pool_database, fiber_killed_inside_atomic_mysql) {
  FIBERSQL_REQUIRE_MYSQL();
  end_inside_transaction(testing::test_mysql_url(), ending::killed_inside_atomic);
}

// A pooled database kept across several run() calls (a global pool, a test fixture, a service
// restarting its hub): idle connections opened on an earlier hub serve fibers of the next one,
// and the pool, its maintenance fiber's handle included, is destroyed after every hub is gone.
void kept_across_runs(const std::string& url) {
  constexpr std::size_t width = 4;
  // database is not movable: the prvalue initializes the heap object directly.
  auto db = std::unique_ptr<db::database>(
      new db::database(make_database(url, {.max_open = width, .max_idle = width, .validate_after_idle = 0ms})));
  std::uint64_t opened_first = 0;
  for (int round = 0; round < 3; ++round) {
    std::size_t failures = 0;
    std::string first_failure;
    run([&] {
      std::vector<fiber> fibers;
      for (std::size_t i = 0; i < 2 * width; ++i) {
        fibers.push_back(spawn([&, i] {
          try {
            for (int q = 0; q < 5; ++q) {
              EXPECT_EQ(db->query("SELECT ?", {value(std::int64_t(i))}).rows.at(0).get<std::size_t>(0), i);
              this_fiber::sleep_for(1ms);
              db->close();  // back to the pool, so every connection serves several fibers
            }
          } catch (const std::exception& e) {
            if (failures++ == 0) first_failure = e.what();
          }
        }));
      }
      join_all(fibers);
    });
    EXPECT_EQ(failures, 0u) << "round " << round << ": " << first_failure;
    const pool_stats s = pool_of(*db)->stats();
    EXPECT_EQ(s.broken_closed, 0u) << "round " << round;
    if (round == 0) opened_first = s.opened;
    EXPECT_EQ(s.opened, opened_first) << "round " << round << ": idle connections were reused, not reopened";
    EXPECT_LE(s.opened, width);
    EXPECT_EQ(s.in_use, 0u);
  }
  db.reset();  // outside any hub: the pool closes its idle connections and drops its fiber handle
}

TEST(pool_database, kept_across_three_runs_and_destroyed_after_the_hubs_sqlite) {
  kept_across_runs("sqlite::memory:");
}

TEST(pool_database, kept_across_three_runs_and_destroyed_after_the_hubs_mysql) {
  FIBERSQL_REQUIRE_MYSQL();
  kept_across_runs(testing::test_mysql_url());
  const std::size_t left = run([] {
    testing::admin admin;
    const deadline until = deadline_after(5s);
    while (admin.user_sessions() > 0 && clock::now() < until) this_fiber::sleep_for(10ms);
    return admin.user_sessions();
  });
  EXPECT_EQ(left, 0u) << "server sessions left behind by the pool";
}

}  // namespace
}  // namespace fibersql::pool
