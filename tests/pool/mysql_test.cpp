// The pool against a real MariaDB server: bounded sessions under 1,000 fibers, FIFO service,
// timeouts, recycling seen as new server thread ids, min_idle, killed idle sessions, leaks.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include <fibersql/mysql/connection.hpp>
#include <fibersql/pool/pool.hpp>
#include <fibersql/runtime/runtime.hpp>
#include <fibersql/sql/errors.hpp>

#include "support/admin.hpp"
#include "support/test_env.hpp"

namespace fibersql::pool {
namespace {

using namespace std::chrono_literals;
using testing::admin;
using testing::run_monitored;
using testing::test_mysql_url;

connection_factory mysql_factory() {
  return [url = test_mysql_url()]() -> std::unique_ptr<connection> { return mysql::connection::open(url); };
}

std::uint64_t thread_id_of(pooled_connection& c) {
  return c->query("SELECT CONNECTION_ID()").rows.at(0).get<std::uint64_t>(0);
}

// ROLLBACK statements this session has run (its own Com_rollback counter).
std::uint64_t session_rollbacks(pooled_connection& c) {
  return c
      ->query(
          "SELECT CAST(VARIABLE_VALUE AS UNSIGNED) FROM information_schema.SESSION_STATUS "
          "WHERE VARIABLE_NAME = 'COM_ROLLBACK'")
      .rows.at(0)
      .get<std::uint64_t>(0);
}

// Polls `pred` from a fiber until it holds or `limit` passes.
template <class P>
bool eventually(P pred, clock::duration limit = 3s) {
  const deadline until = deadline_after(limit);
  while (!pred()) {
    if (clock::now() >= until) return false;
    this_fiber::sleep_for(20ms);
  }
  return true;
}

// Every test leaves no session of the test user and no descriptor behind.
struct pool_mysql : ::testing::Test {
  std::size_t fds_before = 0;
  void SetUp() override {
    FIBERSQL_REQUIRE_MYSQL();
    fds_before = testing::open_fd_count();
  }
  void TearDown() override {
    if (IsSkipped()) return;
    fibersql::run([] {
      admin a;
      EXPECT_TRUE(eventually([&] { return a.user_sessions() == 0; })) << a.user_sessions() << " sessions left";
    });
    EXPECT_EQ(testing::open_fd_count(), fds_before);
  }
};

TEST_F(pool_mysql, thousand_fibers_share_twenty_sessions_in_arrival_order) {
  run_monitored([] {
    // No reset or ping at checkout, so a woken waiter returns from acquire() without another
    // round trip and the order of returns is the order of hand-offs.
    connection_pool pool(
        mysql_factory(),
        {.max_open = 20, .max_idle = 20, .validate_after_idle = clock::duration::max(), .reset_on_return = false});
    admin a;
    std::size_t max_sessions = 0;
    bool done = false;
    fiber sampler = spawn(
        [&] {
          while (!done) {
            max_sessions = std::max(max_sessions, a.user_sessions());
            this_fiber::sleep_for(5ms);
          }
        },
        {.name = "sampler"});
    std::vector<int> served;
    std::set<std::uint64_t> thread_ids;
    int completed = 0;
    std::vector<fiber> fibers;
    for (int i = 0; i < 1000; ++i) {
      fibers.push_back(spawn(
          [&, i] {
            pooled_connection c = pool.acquire();
            served.push_back(i);
            const result r = c->query("SELECT CONNECTION_ID(), SLEEP(0.002)");
            thread_ids.insert(r.rows.at(0).get<std::uint64_t>(0));
            ++completed;
          },
          {.name = "worker-" + std::to_string(i)}));
    }
    join_all(fibers);
    done = true;
    sampler.join();
    EXPECT_EQ(completed, 1000);
    EXPECT_LE(max_sessions, 20u);
    EXPECT_GE(max_sessions, 10u) << "the sampler should have seen the pool busy";
    EXPECT_LE(thread_ids.size(), 20u);
    // The first 20 opened connections (their handshakes finish in any order); every later
    // fiber waited and must have been served in the order it arrived.
    std::vector<int> waited;
    std::copy_if(served.begin(), served.end(), std::back_inserter(waited), [](int i) { return i >= 20; });
    ASSERT_EQ(waited.size(), 980u);
    EXPECT_TRUE(std::is_sorted(waited.begin(), waited.end()));
    const pool_stats s = pool.stats();
    EXPECT_EQ(s.opened, 20u);
    EXPECT_EQ(s.wait_count, 980u);
    EXPECT_EQ(s.in_use, 0u);
  });
}

TEST_F(pool_mysql, acquire_timeout_fires_with_the_clear_error) {
  run_monitored([] {
    connection_pool pool(mysql_factory(), {.max_open = 2, .max_idle = 2, .acquire_timeout = 200ms, .name = "shop"});
    pooled_connection a = pool.acquire(), b = pool.acquire();
    const auto started = clock::now();
    try {
      pool.acquire();
      FAIL() << "no timeout";
    } catch (const pool_timeout& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("pool 'shop'"), std::string::npos) << what;
      EXPECT_NE(what.find("acquire_timeout 200 ms"), std::string::npos) << what;
      EXPECT_NE(what.find("max_open=2"), std::string::npos) << what;
      EXPECT_NE(what.find("in_use=2"), std::string::npos) << what;
      EXPECT_NE(what.find("fibers waiting=1"), std::string::npos) << what;
    }
    const auto took = clock::now() - started;
    EXPECT_GE(took, 190ms);
    EXPECT_LT(took, 400ms);
    EXPECT_EQ(a->query("SELECT 1").rows.at(0).get<int>(0), 1) << "holders are unaffected";
  });
}

TEST_F(pool_mysql, lifetime_recycles_as_new_server_thread_ids) {
  run_monitored([] {
    connection_pool pool(
        mysql_factory(),
        {.max_open = 2, .max_idle = 2, .max_lifetime = 300ms, .max_lifetime_jitter = 0, .housekeeping_period = 50ms});
    admin a;
    std::uint64_t first = 0;
    {
      pooled_connection c = pool.acquire();
      first = thread_id_of(c);
    }
    this_fiber::sleep_for(450ms);
    EXPECT_EQ(pool.stats().max_lifetime_closed, 1u);
    EXPECT_TRUE(a.wait_session_gone(first, 2s));
    pooled_connection c = pool.acquire();
    EXPECT_NE(thread_id_of(c), first);
  });
}

TEST_F(pool_mysql, idle_time_recycles_as_new_server_thread_ids) {
  run_monitored([] {
    connection_pool pool(mysql_factory(),
                         {.max_open = 2, .max_idle = 2, .max_idle_time = 200ms, .housekeeping_period = 50ms});
    admin a;
    std::uint64_t first = 0;
    {
      pooled_connection c = pool.acquire();
      first = thread_id_of(c);
    }
    this_fiber::sleep_for(350ms);
    EXPECT_EQ(pool.stats().max_idle_time_closed, 1u);
    EXPECT_EQ(pool.stats().idle, 0u);
    EXPECT_TRUE(a.wait_session_gone(first, 2s));
    pooled_connection c = pool.acquire();
    EXPECT_NE(thread_id_of(c), first);
  });
}

TEST_F(pool_mysql, min_idle_refills) {
  run_monitored([] {
    connection_pool pool(mysql_factory(), {.max_open = 5, .max_idle = 5, .min_idle = 3, .housekeeping_period = 50ms});
    admin a;
    // The first borrow starts the maintenance fiber, which opens 3 while that borrow is out;
    // the borrowed one then idles too, so 3 or 4 are idle: min_idle is a floor.
    { pooled_connection c = pool.acquire(); }
    EXPECT_TRUE(eventually([&] { return pool.stats().idle >= 3; }));
    EXPECT_TRUE(eventually([&] { return a.user_sessions() == pool.stats().open; }));
    {
      std::vector<pooled_connection> all;
      while (pool.stats().idle > 0) all.push_back(pool.acquire());
      for (pooled_connection& c : all) c.discard();
    }
    EXPECT_TRUE(eventually([&] { return pool.stats().idle == 3; })) << pool.stats().idle;
    EXPECT_TRUE(eventually([&] { return a.user_sessions() == 3; }));
    EXPECT_GE(pool.stats().broken_closed, 3u);
  });
}

// Borrows `n` connections at once, runs `use` on each, gives them back; returns thread ids.
std::vector<std::uint64_t> borrow_together(connection_pool& pool, int n, bool reset) {
  std::vector<std::uint64_t> ids;
  std::vector<fiber> fibers;
  for (int i = 0; i < n; ++i) {
    fibers.push_back(spawn([&] {
      pooled_connection c = pool.acquire();
      ids.push_back(thread_id_of(c));
      this_fiber::sleep_for(20ms);  // all n held at once
      if (!reset) c.return_without_reset();
    }));
  }
  join_all(fibers);  // rethrows any caller's error: the test fails
  return ids;
}

TEST_F(pool_mysql, killed_idle_connections_are_replaced_without_caller_errors) {
  run_monitored([] {
    connection_pool pool(mysql_factory(), {.max_open = 5, .max_idle = 5, .validate_after_idle = 50ms});
    admin a;
    // Round 1: returned with reset due, so the checkout's reset finds them dead.
    std::vector<std::uint64_t> before = borrow_together(pool, 5, false);
    before = borrow_together(pool, 5, true);
    for (std::uint64_t id : before) a.kill_connection(id);
    for (std::uint64_t id : before) EXPECT_TRUE(a.wait_session_gone(id, 2s));
    std::vector<std::uint64_t> after = borrow_together(pool, 5, false);
    for (std::uint64_t id : after) EXPECT_EQ(std::count(before.begin(), before.end(), id), 0);
    EXPECT_EQ(pool.stats().broken_closed, 5u);
    // Round 2: returned without reset and idle past validate_after_idle: the ping finds them.
    for (std::uint64_t id : after) a.kill_connection(id);
    for (std::uint64_t id : after) EXPECT_TRUE(a.wait_session_gone(id, 2s));
    this_fiber::sleep_for(60ms);
    const std::vector<std::uint64_t> third = borrow_together(pool, 5, true);
    for (std::uint64_t id : third) EXPECT_EQ(std::count(after.begin(), after.end(), id), 0);
    EXPECT_EQ(pool.stats().broken_closed, 10u);
  });
}

TEST_F(pool_mysql, leak_report_names_the_holding_fiber) {
  run_monitored([] {
    std::vector<leak_report> reports;
    connection_pool pool(mysql_factory(), {.max_open = 2,
                                           .max_idle = 2,
                                           .leak_threshold = 100ms,
                                           .on_leak = [&](const leak_report& r) { reports.push_back(r); },
                                           .housekeeping_period = 20ms});
    std::uint64_t held_id = 0;
    fiber holder = spawn(
        [&] {
          pooled_connection c = pool.acquire();
          held_id = thread_id_of(c);
          this_fiber::sleep_for(300ms);
          EXPECT_EQ(c->query("SELECT 1").rows.at(0).get<int>(0), 1) << "still usable after the report";
        },
        {.name = "report-card-handler"});
    holder.join();
    ASSERT_EQ(reports.size(), 1u);
    EXPECT_EQ(reports[0].fiber_id, holder.id());
    EXPECT_EQ(reports[0].fiber_name, "report-card-handler");
    EXPECT_EQ(reports[0].server_thread_id, held_id);
  });
}

TEST_F(pool_mysql, reset_on_return_clears_session_state_unless_skipped) {
  run_monitored([] {
    connection_pool pool(mysql_factory(), {.max_open = 1, .max_idle = 1});
    auto read_v = [&] {
      pooled_connection c = pool.acquire();
      const result r = c->query("SELECT @v");
      return r.rows.at(0).is_null(0) ? -1 : r.rows.at(0).get<int>(0);
    };
    {
      pooled_connection c = pool.acquire();
      c->query("SET @v = 5");
      c.return_without_reset();
    }
    {
      pooled_connection c = pool.acquire();
      EXPECT_EQ(c->query("SELECT @v").rows.at(0).get<int>(0), 5) << "return_without_reset keeps state";
    }
    EXPECT_EQ(read_v(), -1) << "the default return resets";
  });
}

// A handle given back inside a transaction: one ROLLBACK reaches the server and the same
// session is reused (reset_on_return off, so the session's counter survives the return).
TEST_F(pool_mysql, handle_returned_inside_a_transaction_rolls_back_once) {
  run_monitored([] {
    connection_pool pool(mysql_factory(), {.max_open = 1, .max_idle = 1, .reset_on_return = false});
    std::uint64_t before = 0;
    std::uint64_t thread = 0;
    {
      pooled_connection c = pool.acquire();
      before = session_rollbacks(c);
      thread = thread_id_of(c);
      c->begin();
      c->query("SELECT 1");
    }
    pooled_connection c = pool.acquire();
    EXPECT_EQ(thread_id_of(c), thread) << "the same session came back";
    EXPECT_FALSE(c->in_transaction());
    EXPECT_EQ(session_rollbacks(c) - before, 1u);
    EXPECT_EQ(pool.stats().broken_closed, 0u);
  });
}

}  // namespace
}  // namespace fibersql::pool
