// The pool on fibers over real SQLite connections (no server): FIFO hand-off, timeouts,
// transactions rolled back on return, broken connections replaced, leaks, close.
#include <gtest/gtest.h>

#include <fibersql/pool/pool.hpp>
#include <fibersql/runtime/runtime.hpp>
#include <fibersql/sql/errors.hpp>
#include <fibersql/sqlite/connection.hpp>

namespace fibersql::pool {
namespace {

using namespace std::chrono_literals;

// Every connection of a test shares one named in-memory database.
connection_factory shared_memory(const std::string& name) {
  return [name]() -> std::unique_ptr<connection> { return sqlite::connection::open_shared_memory(name); };
}

struct pool_sqlite : ::testing::Test {
  void TearDown() override {
    // Nothing may outlive a test: the hub of each run() is gone, with every fiber.
    EXPECT_EQ(hub::current_or_null(), nullptr);
  }
};

TEST_F(pool_sqlite, acquire_reuses_and_counts) {
  run([] {
    connection_pool pool(shared_memory("basic"), {.max_open = 3, .max_idle = 3});
    connection* first = nullptr;
    {
      pooled_connection c = pool.acquire();
      first = &c.get();
      EXPECT_EQ(c->query("SELECT 41 + 1").rows.at(0).get<int>(0), 42);
      EXPECT_EQ(pool.stats().in_use, 1u);
    }
    pool_stats s = pool.stats();
    EXPECT_EQ(s.in_use, 0u);
    EXPECT_EQ(s.idle, 1u);
    EXPECT_EQ(s.opened, 1u);
    pooled_connection again = pool.acquire();
    EXPECT_EQ(&again.get(), first) << "the idle connection is reused";
    pooled_connection moved = std::move(again);
    EXPECT_FALSE(again.valid());
    EXPECT_TRUE(moved.valid());
    EXPECT_EQ(pool.stats().opened, 1u);
  });
}

TEST_F(pool_sqlite, max_open_below_the_default_max_idle_lowers_max_idle) {
  // Go's SetMaxOpenConns rule: {.max_open = 4} must not throw because max_idle defaults to 10.
  run([] {
    connection_pool pool(shared_memory("clamp"), {.max_open = 4});
    EXPECT_EQ(pool.options().max_open, 4u);
    EXPECT_EQ(pool.options().max_idle, 4u);
    std::vector<pooled_connection> held;
    for (int i = 0; i < 4; ++i) held.push_back(pool.acquire());
    held.clear();
    EXPECT_EQ(pool.stats().idle, 4u) << "all four returned connections are kept";
  });
  pool_options o = clamped({.max_open = 3, .max_idle = 8, .min_idle = 2});
  EXPECT_EQ(o.max_idle, 3u);
  EXPECT_EQ(o.min_idle, 2u);
  EXPECT_THROW(connection_pool(shared_memory("clamp2"), {.max_open = 2, .min_idle = 3}), std::invalid_argument)
      << "min_idle above the clamped max_idle is still refused";
}

TEST_F(pool_sqlite, waiters_are_served_in_arrival_order) {
  run([] {
    connection_pool pool(shared_memory("fifo"),
                         {.max_open = 2, .max_idle = 2, .validate_after_idle = clock::duration::max()});
    std::vector<int> served;
    std::vector<fiber> fibers;
    for (int i = 0; i < 50; ++i) {
      fibers.push_back(spawn([&, i] {
        pooled_connection c = pool.acquire();
        served.push_back(i);
        this_fiber::sleep_for(1ms);
      }));
    }
    this_fiber::sleep_for(1ms);
    EXPECT_EQ(pool.stats().waiters, 48u);
    join_all(fibers);
    ASSERT_EQ(served.size(), 50u);
    for (int i = 0; i < 50; ++i) EXPECT_EQ(served[i], i);
    const pool_stats s = pool.stats();
    EXPECT_EQ(s.opened, 2u);
    EXPECT_EQ(s.wait_count, 48u);
    EXPECT_GT(s.wait_duration, 0ms);
  });
}

TEST_F(pool_sqlite, acquire_timeout_names_limits_and_waiters) {
  run([] {
    connection_pool pool(shared_memory("timeout"),
                         {.max_open = 1, .max_idle = 1, .acquire_timeout = 100ms, .name = "orders"});
    pooled_connection held = pool.acquire();
    fiber other = spawn([&] { EXPECT_THROW(pool.acquire(), pool_timeout); });
    this_fiber::yield();
    const auto started = clock::now();
    try {
      pool.acquire();
      FAIL() << "acquire did not time out";
    } catch (const pool_timeout& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("pool 'orders'"), std::string::npos) << what;
      EXPECT_NE(what.find("max_open=1"), std::string::npos) << what;
      EXPECT_NE(what.find("fibers waiting=1"), std::string::npos) << what;
      EXPECT_FALSE(e.poisons_connection());
    }
    EXPECT_GE(clock::now() - started, 90ms);
    other.join();
    EXPECT_EQ(pool.stats().timeouts, 2u);
    EXPECT_EQ(pool.stats().waiters, 0u);
  });
}

TEST_F(pool_sqlite, returned_inside_a_transaction_is_rolled_back) {
  run([] {
    connection_pool pool(shared_memory("tx"), {.max_open = 2, .max_idle = 2});
    pooled_connection setup = pool.acquire();  // keeps the shared database alive
    setup->query("CREATE TABLE t (x INTEGER)");
    {
      pooled_connection c = pool.acquire();
      c->begin();
      c->query("INSERT INTO t VALUES (1)");
    }
    EXPECT_EQ(setup->query("SELECT COUNT(*) FROM t").rows.at(0).get<int>(0), 0);
    pooled_connection again = pool.acquire();
    EXPECT_FALSE(again->in_transaction());
  });
}

TEST_F(pool_sqlite, broken_or_discarded_connections_are_replaced) {
  run([] {
    connection_pool pool(shared_memory("broken"), {.max_open = 1, .max_idle = 1, .validate_after_idle = 0s});
    {
      pooled_connection c = pool.acquire();
      c.discard();
      EXPECT_FALSE(c.valid());
    }
    EXPECT_EQ(pool.stats().broken_closed, 1u);
    EXPECT_EQ(pool.stats().open, 0u);
    {
      // Dies while idle (closed behind the pool's back): the next checkout's ping fails, and
      // the pool opens a fresh connection instead of handing out a dead one.
      pooled_connection c = pool.acquire();
      c->close();
      c.return_without_reset();
    }
    pooled_connection c = pool.acquire();
    EXPECT_EQ(c->query("SELECT 1").rows.at(0).get<int>(0), 1);
    EXPECT_EQ(pool.stats().broken_closed, 2u);
    EXPECT_EQ(pool.stats().opened, 3u);
  });
}

TEST_F(pool_sqlite, leak_report_names_the_holding_fiber_and_does_not_close) {
  run([] {
    std::vector<leak_report> reports;
    connection_pool pool(shared_memory("leak"), {.max_open = 2,
                                                 .max_idle = 2,
                                                 .leak_threshold = 50ms,
                                                 .on_leak = [&](const leak_report& r) { reports.push_back(r); },
                                                 .housekeeping_period = 10ms,
                                                 .name = "leaky-pool"});
    fiber holder = spawn(
        [&] {
          pooled_connection c = pool.acquire();
          this_fiber::sleep_for(150ms);
          EXPECT_EQ(c->query("SELECT 7").rows.at(0).get<int>(0), 7) << "reporting must not close it";
        },
        {.name = "slow-handler"});
    holder.join();
    ASSERT_EQ(reports.size(), 1u);
    EXPECT_EQ(reports[0].fiber_id, holder.id());
    EXPECT_EQ(reports[0].fiber_name, "slow-handler");
    EXPECT_EQ(reports[0].pool_name, "leaky-pool");
    EXPECT_GE(reports[0].held_for, 50ms);
    EXPECT_EQ(pool.stats().leaks_reported, 1u);
  });
}

TEST_F(pool_sqlite, killed_waiter_loses_nothing) {
  run([] {
    connection_pool pool(shared_memory("kill"), {.max_open = 1, .max_idle = 1});
    pooled_connection held = pool.acquire();
    fiber waiter = spawn([&] { pool.acquire(); });
    this_fiber::yield();
    EXPECT_EQ(pool.stats().waiters, 1u);
    waiter.kill();
    held.release();  // may race the kill: a hand-off that won must come back
    waiter.join();
    this_fiber::yield();
    const pool_stats s = pool.stats();
    EXPECT_EQ(s.waiters, 0u);
    EXPECT_EQ(s.in_use, 0u);
    EXPECT_EQ(s.open, s.idle);
    pooled_connection c = pool.acquire();
    EXPECT_TRUE(c.valid());
  });
}

TEST_F(pool_sqlite, min_idle_is_kept_warm) {
  run([] {
    connection_pool pool(shared_memory("warm"),
                         {.max_open = 4, .max_idle = 4, .min_idle = 3, .housekeeping_period = 10ms});
    { pooled_connection c = pool.acquire(); }  // starts the maintenance fiber
    this_fiber::sleep_for(50ms);
    EXPECT_EQ(pool.stats().idle, 3u);
    {
      pooled_connection a = pool.acquire(), b = pool.acquire(), c = pool.acquire();
      a.discard();
      b.discard();
      c.discard();
    }
    this_fiber::sleep_for(50ms);
    EXPECT_EQ(pool.stats().idle, 3u);
    EXPECT_EQ(pool.stats().open, 3u);
  });
}

TEST_F(pool_sqlite, close_fails_waiters_and_later_returns_close) {
  run([] {
    auto pool = std::make_unique<connection_pool>(shared_memory("close"), pool_options{.max_open = 1, .max_idle = 1});
    pooled_connection held = pool->acquire();
    bool refused = false;
    fiber waiter = spawn([&] {
      try {
        pool->acquire();
      } catch (const interface_error&) {
        refused = true;
      }
    });
    this_fiber::yield();
    pool->close();
    waiter.join();
    EXPECT_TRUE(refused);
    pool.reset();  // the handle outlives the pool object
    EXPECT_EQ(held->query("SELECT 1").rows.at(0).get<int>(0), 1);
    held.release();
  });
}

TEST_F(pool_sqlite, lifetime_and_idle_limits_recycle) {
  run([] {
    connection_pool pool(shared_memory("recycle"), {.max_open = 2,
                                                    .max_idle = 2,
                                                    .max_lifetime = 100ms,
                                                    .max_lifetime_jitter = 0,
                                                    .max_idle_time = 60ms,
                                                    .housekeeping_period = 10ms});
    connection* first = nullptr;
    {
      pooled_connection c = pool.acquire();
      first = &c.get();
    }
    this_fiber::sleep_for(80ms);
    EXPECT_EQ(pool.stats().max_idle_time_closed, 1u);
    EXPECT_EQ(pool.stats().idle, 0u);
    pooled_connection c = pool.acquire();
    this_fiber::sleep_for(120ms);
    c.release();
    EXPECT_EQ(pool.stats().max_lifetime_closed, 1u) << "expired while borrowed: closed on return";
    (void)first;
  });
}

TEST_F(pool_sqlite, bad_options_are_refused) {
  EXPECT_THROW(connection_pool(shared_memory("x"), {.max_open = 0}), std::invalid_argument);
  EXPECT_THROW(connection_pool(connection_factory{}, {}), std::invalid_argument);
}

}  // namespace
}  // namespace fibersql::pool
