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
    std::vector<std::uint64_t> order;  // which fiber ran each statement, in order
    std::uint64_t mine = 0, theirs = 0;
    int connected = 0;
    auto work = [&](int n, std::uint64_t& out) {
      // Both connected before either counts, so the two interleave from the first statement
      // (a slow connect would otherwise let one fiber finish before the other starts).
      db.connection();
      ++connected;
      while (connected < 2) fibersql::this_fiber::yield();
      orm::statement_counter counter;
      for (int i = 0; i < n; ++i) {
        db.query("SELECT 1");
        order.push_back(fibersql::this_fiber::id());
        fibersql::this_fiber::yield();
      }
      out = counter.count();
    };
    fibersql::fiber other = fibersql::spawn([&] { work(50, theirs); }, {.name = "other"});
    work(10, mine);
    other.join();
    EXPECT_EQ(mine, 10u);
    EXPECT_EQ(theirs, 50u);
    // The control: the other fiber really ran while this fiber's counter was open.
    const std::uint64_t me = fibersql::this_fiber::id();
    std::size_t last_mine = 0, interleaved = 0;
    for (std::size_t i = 0; i < order.size(); ++i)
      if (order[i] == me) last_mine = i;
    for (std::size_t i = 0; i < last_mine; ++i) interleaved += order[i] != me;
    EXPECT_GE(interleaved, 5u);
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
