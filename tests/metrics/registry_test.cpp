// registry: a snapshot reads every registered pool, database, hub and statement counter (real
// SQLite connections, real fibers); a destroyed registration leaves the snapshot at once.
#include <gtest/gtest.h>

#include <fibersql/db/database.hpp>
#include <fibersql/metrics/prometheus.hpp>
#include <fibersql/metrics/registry.hpp>
#include <fibersql/metrics/slow_statement_log.hpp>
#include <fibersql/pool/pool.hpp>
#include <fibersql/runtime/runtime.hpp>
#include <fibersql/sql/errors.hpp>
#include <fibersql/sqlite/connection.hpp>

namespace fibersql::metrics {
namespace {

using namespace std::chrono_literals;

pool::connection_factory shared_memory(const std::string& name) {
  return [name]() -> std::unique_ptr<connection> { return sqlite::connection::open_shared_memory(name); };
}

struct metrics_registry : ::testing::Test {
  void TearDown() override { EXPECT_EQ(hub::current_or_null(), nullptr); }
};

TEST_F(metrics_registry, snapshot_reads_pools_databases_hubs_and_statements) {
  statement_metrics statements;
  db::database_options o;
  o.on_statement = statements.hook();
  db::database database{"sqlite::memory:", o};
  registry reg;
  run([&] {
    pool::connection_pool pool(shared_memory("registry"), {.max_open = 1, .acquire_timeout = 5s});
    registration r1 = reg.add("main", pool);
    registration r2 = reg.add("app", database);
    registration r3 = reg.add("hub0", hub::current());
    registration r4 = reg.add("all", statements);

    database.execute("CREATE TABLE t (k INTEGER)");
    EXPECT_THROW(database.execute("SELECT * FROM missing"), programming_error);

    pool::pooled_connection held = pool.acquire();
    // A second fiber waits for the only connection while we take the snapshot.
    fiber waiter = spawn([&] { pool::pooled_connection c = pool.acquire(); }, {.name = "waiter"});
    this_fiber::yield();
    const snapshot s = reg.take();

    ASSERT_EQ(s.pools.size(), 1u);
    EXPECT_EQ(s.pools[0].name, "main");
    EXPECT_EQ(s.pools[0].stats.in_use, 1u);
    EXPECT_EQ(s.pools[0].stats.waiters, 1u);
    EXPECT_EQ(s.pools[0].stats.max_open, 1u);
    ASSERT_EQ(s.databases.size(), 1u);
    EXPECT_EQ(s.databases[0].name, "app");
    EXPECT_EQ(s.databases[0].fiber_connections, 1u);  // the main fiber holds one
    ASSERT_EQ(s.hubs.size(), 1u);
    // main, the waiter and the pool's maintenance fiber (started by the first acquire).
    EXPECT_EQ(s.hubs[0].live_fibers, hub::current().live_fibers());
    EXPECT_GE(s.hubs[0].live_fibers, 2u);
    ASSERT_EQ(s.statements.size(), 1u);
    EXPECT_EQ(s.statements[0].stats.count, 2u);
    EXPECT_EQ(s.statements[0].stats.errors, 1u);
    EXPECT_EQ(s.statements[0].stats.duration.count, 2u);

    { pool::pooled_connection gone = std::move(held); }
    waiter.join();
    EXPECT_EQ(reg.take().pools[0].stats.wait_count, 1u);
    r1.reset();
    EXPECT_TRUE(reg.take().pools.empty());
  });
  // Registrations ended with the run() scope: nothing is left to read.
  const snapshot after = reg.take();
  EXPECT_TRUE(after.pools.empty() && after.databases.empty() && after.hubs.empty() && after.statements.empty());
}

// The README's "Observability" example, on SQLite.
TEST_F(metrics_registry, readme_example_with_a_pooled_database) {
  statement_metrics statements;
  slow_statement_log slow({.threshold = 1h});
  auto db = pool::make_database("sqlite::memory:", {.max_open = 20}, {.on_statement = [&](const auto& e) {
                                  statements.record(e);
                                  slow.record(e);
                                }});
  registry reg;
  run([&] {
    auto r1 = reg.add("app", db);
    auto r2 = reg.add("hub0", hub::current());
    auto r3 = reg.add("all", statements);
    auto r4 = reg.add("orders", *pool::pool_of(db));
    db.execute("CREATE TABLE t (k INTEGER)");
    const std::string body = render_prometheus(reg.take());
    EXPECT_NE(body.find("fibersql_statements_total{name=\"all\"} 1\n"), std::string::npos) << body;
    EXPECT_NE(body.find("db_client_connection_max{db_client_connection_pool_name=\"orders\"} 20\n"), std::string::npos)
        << body;
  });
}

TEST_F(metrics_registry, moved_registration_removes_once) {
  registry reg;
  statement_metrics a, b;
  registration r = reg.add("a", a);
  {
    registration other = reg.add("b", b);
    r = std::move(other);  // "a" leaves now, "b" stays with r
    EXPECT_EQ(reg.take().statements.size(), 1u);
  }
  ASSERT_EQ(reg.take().statements.size(), 1u);
  EXPECT_EQ(reg.take().statements[0].name, "b");
  r.reset();
  EXPECT_TRUE(reg.take().statements.empty());
}

TEST_F(metrics_registry, merge_joins_registries_of_several_hubs) {
  registry one, two;
  statement_metrics a, b;
  registration ra = one.add("hub0", a);
  registration rb = two.add("hub1", b);
  snapshot s = one.take();
  s.merge(two.take());
  ASSERT_EQ(s.statements.size(), 2u);
  EXPECT_EQ(s.statements[1].name, "hub1");
}

}  // namespace
}  // namespace fibersql::metrics
