// The pool under a db::database: peewee-style code borrows at first use and returns when the
// fiber ends, and a fiber that dies inside atomic() has its transaction rolled back and its
// connection returned to the pool (not closed).
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace fibersql::pool
