// The pool under a db::database: peewee-style code borrows at first use and returns when the
// fiber ends, and a fiber that dies inside atomic() has its transaction rolled back and its
// connection returned to the pool (not closed).
#include <gtest/gtest.h>

#include <algorithm>
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

// Spawns a fiber that leaves a transaction open on its pooled connection `how`, ends it, and
// returns the server thread the transaction ran on.
std::uint64_t die_inside_transaction(db::database& db, connection_pool& pool, ending how) {
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
    EXPECT_EQ(pool.stats().in_use, 1u);
    victim.kill();
  }
  victim.join();
  return thread_in_tx;
}

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
    const std::uint64_t thread_in_tx = die_inside_transaction(db, *pool, how);
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

// ROLLBACK statements this MariaDB session has run (its own Com_rollback counter).
std::uint64_t session_rollbacks(db::database& db) {
  return db
      .execute(
          "SELECT CAST(VARIABLE_VALUE AS UNSIGNED) FROM information_schema.SESSION_STATUS "
          "WHERE VARIABLE_NAME = 'COM_ROLLBACK'")
      .rows.at(0)
      .get<std::uint64_t>(0);
}

// The return path decides rollback once: a fiber that dies inside a transaction on a pooled
// MariaDB connection costs exactly one ROLLBACK on the server, and the same session comes back
// healthy. Without reset_on_return the session (and its counter) survives the return.
void one_rollback_reaches_the_server(ending how) {
  run([&] {
    auto pool = std::make_shared<connection_pool>(std::make_shared<db::url_source>(testing::test_mysql_url()),
                                                  pool_options{.max_open = 1, .max_idle = 1, .reset_on_return = false});
    db::database db = make_database(pool, {.on_abandoned_transaction = [](const db::abandoned_transaction&) {}});
    db.execute("DROP TABLE IF EXISTS pool_atomic_t");
    db.execute("CREATE TABLE pool_atomic_t (x INTEGER) ENGINE=InnoDB");
    const std::uint64_t before = session_rollbacks(db);
    db.close();
    const std::uint64_t thread_in_tx = die_inside_transaction(db, *pool, how);
    EXPECT_EQ(db.connection().server_thread_id(), thread_in_tx) << "the same session came back";
    EXPECT_EQ(session_rollbacks(db) - before, 1u) << "one ROLLBACK per abandoned transaction, not one per layer";
    EXPECT_FALSE(db.connection().in_transaction());
    EXPECT_EQ(db.execute("SELECT COUNT(*) FROM pool_atomic_t").rows.at(0).get<int>(0), 0) << "rolled back";
    db.execute("DROP TABLE pool_atomic_t");
    const pool_stats s = pool->stats();
    EXPECT_EQ(s.broken_closed, 0u);
    EXPECT_EQ(s.opened, 1u);
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

TEST(pool_database, one_rollback_when_returning_inside_atomic_mysql) {
  FIBERSQL_REQUIRE_MYSQL();
  one_rollback_reaches_the_server(ending::returns_from_atomic_scope);
}
TEST(pool_database, one_rollback_when_returning_with_begin_open_mysql) {
  FIBERSQL_REQUIRE_MYSQL();
  one_rollback_reaches_the_server(ending::returns_with_begin_open);
}
TEST(pool_database, one_rollback_when_killed_inside_atomic_mysql) {
  FIBERSQL_REQUIRE_MYSQL();
  one_rollback_reaches_the_server(ending::killed_inside_atomic);
}

// stream() and prepare() through a pooled database: no cast to the pool's or backend's types.
void stream_through_the_pool(const std::string& url) {
  run([&] {
    db::database db = make_database(url, {.max_open = 2});
    db.execute("DROP TABLE IF EXISTS pool_stream");
    db.execute("CREATE TABLE pool_stream (k INT)");
    db::prepared_statement insert = db.prepare("INSERT INTO pool_stream VALUES (?)");
    for (int i = 1; i <= 300; ++i) insert.execute({i});
    db::row_cursor rows = db.stream("SELECT k FROM pool_stream ORDER BY k");
    int count = 0;
    while (auto r = rows.next()) EXPECT_EQ(r->get<int>(0), ++count);
    EXPECT_EQ(count, 300);
    db.execute("DROP TABLE pool_stream");
  });
}
TEST(pool_database, stream_and_prepare_sqlite) {
  stream_through_the_pool("sqlite::memory:");
}
TEST(pool_database, stream_and_prepare_mysql) {
  FIBERSQL_REQUIRE_MYSQL();
  stream_through_the_pool(testing::test_mysql_url());
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

// How the 20 looping workers below hold their pooled connection.
enum class lending {
  fiber_life,        // the default: borrowed at first use, returned when the fiber ends
  connection_scope,  // each iteration inside `auto c = db.connection_scope();`
  each_statement,    // pool_options::return_after_each_statement
};

struct worker_progress {
  std::vector<std::size_t> iterations;  // per worker
  std::size_t timeouts = 0;             // pool_timeout, all workers together
};

// 20 worker fibers that loop forever over 10 pooled connections, for 1.5 s.
worker_progress run_forever_workers(const std::string& url, lending how) {
  constexpr std::size_t workers = 20;
  auto db = std::unique_ptr<db::database>(
      new db::database(make_database(url, {.max_open = 10,
                                           .max_idle = 10,
                                           .acquire_timeout = 1s,
                                           .return_after_each_statement = how == lending::each_statement})));
  worker_progress p;
  p.iterations.assign(workers, 0);
  run([&] {
    std::vector<fiber> fibers;
    for (std::size_t i = 0; i < workers; ++i) {
      fibers.push_back(spawn(
          [&, i] {
            auto iteration = [&] {
              EXPECT_EQ(db->query("SELECT ?", {value(std::int64_t(i))}).rows.at(0).get<std::size_t>(0), i);
              this_fiber::sleep_for(1ms);  // work that needs the connection
              db->query("SELECT 1");
              ++p.iterations[i];
            };
            for (;;) {
              try {
                if (how == lending::connection_scope) {
                  auto scope = db->connection_scope();
                  iteration();
                } else {
                  iteration();
                }
              } catch (const pool_timeout&) {
                ++p.timeouts;
              }
              this_fiber::sleep_for(2ms);  // work that does not
            }
          },
          {.name = "worker"}));
    }
    this_fiber::sleep_for(1500ms);
    for (fiber& f : fibers) f.kill();
    for (fiber& f : fibers) f.join();
    EXPECT_EQ(pool_of(*db)->stats().in_use, 0u) << "every worker gave its connection back at its end";
  });
  return p;
}

std::size_t starved(const worker_progress& p) {
  return static_cast<std::size_t>(std::count(p.iterations.begin(), p.iterations.end(), 0u));
}

void expect_all_progress(const worker_progress& p) {
  EXPECT_EQ(starved(p), 0u) << "workers that never got a connection";
  EXPECT_EQ(p.timeouts, 0u);
  EXPECT_GE(*std::min_element(p.iterations.begin(), p.iterations.end()), 5u);
}

TEST(pool_database, forever_workers_in_connection_scopes_all_progress_sqlite) {
  expect_all_progress(run_forever_workers("sqlite::memory:", lending::connection_scope));
}
TEST(pool_database, forever_workers_returning_after_each_statement_all_progress_sqlite) {
  expect_all_progress(run_forever_workers("sqlite::memory:", lending::each_statement));
}
// The control: lent for the fiber's life, 10 workers hold the 10 connections forever.
TEST(pool_database, control_forever_workers_without_scope_starve_sqlite) {
  const worker_progress p = run_forever_workers("sqlite::memory:", lending::fiber_life);
  EXPECT_EQ(starved(p), 10u);
  EXPECT_GE(p.timeouts, 10u);
}
TEST(pool_database, forever_workers_in_connection_scopes_all_progress_mysql) {
  FIBERSQL_REQUIRE_MYSQL();
  expect_all_progress(run_forever_workers(testing::test_mysql_url(), lending::connection_scope));
}
TEST(pool_database, forever_workers_returning_after_each_statement_all_progress_mysql) {
  FIBERSQL_REQUIRE_MYSQL();
  expect_all_progress(run_forever_workers(testing::test_mysql_url(), lending::each_statement));
}
TEST(pool_database, control_forever_workers_without_scope_starve_mysql) {
  FIBERSQL_REQUIRE_MYSQL();
  const worker_progress p = run_forever_workers(testing::test_mysql_url(), lending::fiber_life);
  EXPECT_EQ(starved(p), 10u);
  EXPECT_GE(p.timeouts, 10u);
}

// With return_after_each_statement the session is not kept between statements (documented):
// inside a connection_scope it is.
TEST(pool_database, connection_scope_keeps_one_session_even_when_returning_after_each_statement_mysql) {
  FIBERSQL_REQUIRE_MYSQL();
  auto db = std::unique_ptr<db::database>(new db::database(
      make_database(testing::test_mysql_url(), {.max_open = 2, .max_idle = 2, .return_after_each_statement = true})));
  run([&] {
    db->execute("SET @fibersql_marker = 42");
    EXPECT_FALSE(db->is_connected()) << "returned after the statement";
    EXPECT_TRUE(db->query("SELECT @fibersql_marker").rows.at(0).is_null(0)) << "session state is not kept";
    {
      auto scope = db->connection_scope();
      db->execute("SET @fibersql_marker = 42");
      EXPECT_TRUE(db->is_connected());
      EXPECT_EQ(db->query("SELECT @fibersql_marker").rows.at(0).get<int>(0), 42);
    }
    EXPECT_FALSE(db->is_connected()) << "returned at the scope's end";
    // A transaction keeps its connection to the end, and gives it back then.
    db->atomic([&] {
      db->execute("SET @fibersql_marker = 7");
      EXPECT_EQ(db->query("SELECT @fibersql_marker").rows.at(0).get<int>(0), 7);
    });
    EXPECT_FALSE(db->is_connected());
  });
}

}  // namespace
}  // namespace fibersql::pool
