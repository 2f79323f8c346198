// statement_counter on sqlite::memory: and MariaDB: it counts db.query/execute, ORM
// terminals and atomic()'s statements of the calling fiber only, nested counters both count,
// and a fiber running beside it does not pollute it.
#include <gtest/gtest.h>

#include <vector>

#include "backend_fixture.hpp"

namespace {
using namespace app;

using StatementCounter = OrmBackend;

TEST_P(StatementCounter, CountsRawOrmAndTransactionStatements) {
  in_db([&](fibersql::db::database& db) {
    seed(db, 3, 1);
    orm::statement_counter outer;
    db.query("SELECT 1");
    db.execute("UPDATE users SET login_count = login_count + 1");
    EXPECT_EQ(outer.count(), 2u);
    {
      orm::statement_counter inner;
      orm::get_by_id(db, users, 1);
      db.atomic([&] { orm::select(users).all(db); });  // BEGIN, SELECT, COMMIT
      EXPECT_EQ(inner.count(), 4u);
    }
    EXPECT_EQ(outer.count(), 6u);
    EXPECT_THROW(db.query("SELECT * FROM no_such_table"), fibersql::database_error);
    EXPECT_EQ(outer.count(), 7u);  // failed statements ran too
  });
}

TEST_P(StatementCounter, AnotherFibersStatementsAreNotCounted) {
  in_db([&](fibersql::db::database& db) {
    std::uint64_t mine = 0, theirs = 0, ran_mine = 0;
    std::uint64_t theirs_ran = 0, theirs_before = 0;
    bool theirs_finished = false;
    int connected = 0;
    // Both connected before either counts, so the two interleave from the first statement
    // (a slow connect would otherwise let one fiber finish before the other starts).
    auto connect_both = [&] {
      db.connection();
      ++connected;
      while (connected < 2) fibersql::this_fiber::yield();
    };
    fibersql::fiber other = fibersql::spawn(
        [&] {
          connect_both();
          orm::statement_counter counter;
          for (int i = 0; i < 50; ++i) {
            db.query("SELECT 1");
            ++theirs_ran;
            fibersql::this_fiber::yield();
          }
          theirs = counter.count();
          theirs_finished = true;
        },
        {.name = "other"});
    connect_both();
    {
      orm::statement_counter counter;
      theirs_before = theirs_ran;
      // Until the other fiber has run 20 statements inside this counter's scope (on a loaded
      // machine one server session can lag the other's for several round trips).
      while (ran_mine < 10 || (theirs_ran - theirs_before < 20 && !theirs_finished)) {
        db.query("SELECT 1");
        ++ran_mine;
        fibersql::this_fiber::yield();
      }
      mine = counter.count();
    }
    const std::uint64_t theirs_during = theirs_ran - theirs_before;
    other.join();
    EXPECT_EQ(mine, ran_mine);
    EXPECT_EQ(theirs, 50u);
    // The control: the other fiber really ran while this fiber's counter was open.
    EXPECT_GE(theirs_during, 20u);
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, StatementCounter, ::testing::Values(backend::sqlite_memory, backend::mariadb));

// The counter sees a database only through its hook: one opened without orm::observed() is
// not counted, and observed() keeps a hook the caller had set.
TEST(StatementCounterHook, NeedsTheObserverAndKeepsAnExistingHook) {
  fibersql::run([] {
    fibersql::db::database plain{"sqlite::memory:"};
    int seen_by_own_hook = 0;
    fibersql::db::database_options o;
    o.on_statement = [&](const fibersql::db::statement_event&) { ++seen_by_own_hook; };
    fibersql::db::database chained{"sqlite::memory:", orm::observed(std::move(o))};
    orm::statement_counter counter;
    plain.query("SELECT 1");
    chained.query("SELECT 1");
    chained.query("SELECT 2");
    EXPECT_EQ(counter.count(), 2u);
    EXPECT_EQ(seen_by_own_hook, 2);
  });
  EXPECT_THROW(orm::statement_counter{}, fibersql::misuse_error);
}

}  // namespace
