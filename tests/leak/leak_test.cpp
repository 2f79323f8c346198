// The leak-detection suite: every way a fiber can end, and after each, the process's
// descriptors, the server's sessions and the database's own books are back to baseline.
// Built twice: FIBERSQL_LEAK_MYSQL=1 against MariaDB, 0 against an SQLite file.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <vector>

#include <fibersql/db/database.hpp>
#include <fibersql/runtime/runtime.hpp>
#include <fibersql/sql/errors.hpp>

#include "leak/leak_probe.hpp"
#include "support/admin.hpp"
#include "support/test_env.hpp"

namespace fibersql::leak {
namespace {

using namespace std::chrono_literals;
constexpr bool on_mysql = FIBERSQL_LEAK_MYSQL;
constexpr std::size_t fibers_per_scenario = 20;

class leak : public ::testing::Test {
 protected:
  void SetUp() override {
    if constexpr (on_mysql) {
      FIBERSQL_REQUIRE_MYSQL();
      url_ = testing::test_mysql_url();
    } else {
      path_ = ::testing::TempDir() + "fibersql_leak_" + std::to_string(::getpid()) + ".db";
      std::remove(path_.c_str());
      url_ = "sqlite://" + path_;
    }
    db_.emplace(url_, db::database_options{.on_abandoned_transaction = [this](const db::abandoned_transaction& r) {
                  reports_.push_back(r);
                }});
    // Measured before the schema fiber's connection: its session ends a moment after the
    // close (COM_QUIT is not waited for), so a baseline taken after it could count a
    // session that is already going away ("server sessions: 1 -> 0", seen under ASan).
    base_ = probe_.measure();
    fibersql::run([&] {
      db_->execute("DROP TABLE IF EXISTS leak_items");
      db_->execute("CREATE TABLE leak_items (k INT NOT NULL, v VARCHAR(64))");
    });
  }

  void TearDown() override {
    db_.reset();
    if (!path_.empty()) std::remove(path_.c_str());
  }

  // The verdict every scenario ends with.
  void expect_back_to_baseline() {
    const auto stats = stats_leaks(*db_);
    EXPECT_TRUE(stats.empty()) << "db.stats() after the scenario:\n" << describe(stats);
    const auto left = probe_.leaks_since(base_, 5s);
    EXPECT_TRUE(left.empty()) << "not back to baseline:\n" << describe(left);
  }

  std::int64_t rows() {
    return fibersql::run([&] {
      const auto n = db_->query("SELECT COUNT(*) FROM leak_items").rows.at(0).get<std::int64_t>(0);
      db_->close();
      return n;
    });
  }

  // Spawns `n` fibers running `body`, joins them all, swallowing what they die with.
  static void spawn_and_join(std::size_t n, const std::function<void()>& body, const char* name = "worker") {
    std::vector<fiber> fibers;
    for (std::size_t i = 0; i < n; ++i) fibers.push_back(spawn(body, {.name = name}));
    for (fiber& f : fibers) {
      try {
        f.join();
      } catch (const std::exception&) {
      }
    }
  }

  // Waits until `n` fibers are running a statement (so a kill or timeout lands mid-query).
  void wait_running(std::size_t n) {
    const deadline until = deadline_after(5s);
    for (;;) {
      const auto s = db_->stats();
      const auto running = std::count_if(s.holders.begin(), s.holders.end(),
                                         [](const db::held_connection& h) { return !h.current_statement.empty(); });
      if (static_cast<std::size_t>(running) >= n) return;
      ASSERT_LT(clock::now(), until) << "statements never started:\n" << s.dump();
      this_fiber::sleep_for(5ms);
    }
  }

  // SQLite has no SLEEP(): a writer that holds the lock makes others wait inside their INSERT.
  // MySQL: SELECT SLEEP(10). Either way the statement is in flight until interrupted.
  void with_statements_in_flight(std::size_t n, const std::function<void()>& interrupt_victim_setup,
                                 const std::function<void(std::vector<fiber>&)>& interrupt) {
    fibersql::run([&] {
      event release;
      fiber holder;
      if constexpr (!on_mysql) {
        holder = spawn(
            [&] {
              auto tx = db_->atomic();
              db_->execute("INSERT INTO leak_items VALUES (0, 'lock holder')");
              release.wait();
              tx.rollback();
            },
            {.name = "lock holder"});
        wait_until_holders(1);
      }
      std::vector<fiber> victims;
      for (std::size_t i = 0; i < n; ++i) victims.push_back(spawn(interrupt_victim_setup, {.name = "victim"}));
      wait_running(n);
      const auto started = clock::now();
      interrupt(victims);
      for (fiber& f : victims) {
        try {
          f.join();
        } catch (const std::exception&) {
        }
      }
      EXPECT_LT(clock::now() - started, 5s) << "the interrupted statements ran on";
      release.set();
      if (holder) holder.join();
      // MySQL stops an interrupted statement with KILL QUERY from a helper fiber under a
      // kill_shield: leaving run() at once is fine, the hub's shutdown lets it finish.
    });
  }

  void wait_until_holders(std::size_t n) {
    while (db_->stats().open_connections < n) this_fiber::sleep_for(1ms);
  }

  std::string in_flight_sql() const {
    return on_mysql ? "SELECT SLEEP(10)" : "INSERT INTO leak_items VALUES (1, 'blocked')";
  }

  std::string url_, path_;
  std::optional<db::database> db_;
  std::vector<db::abandoned_transaction> reports_;
  probe probe_{on_mysql};
  snapshot base_;
};

TEST_F(leak, fiber_returns_without_close) {
  fibersql::run([&] { spawn_and_join(fibers_per_scenario, [&] { db_->execute("SELECT 1"); }); });
  EXPECT_EQ(db_->stats().opened, fibers_per_scenario + 1);  // + the schema fiber
  expect_back_to_baseline();
}

TEST_F(leak, fiber_throws) {
  fibersql::run([&] {
    spawn_and_join(fibers_per_scenario, [&] {
      db_->execute("SELECT 1");
      throw std::runtime_error("the fiber fails");
    });
  });
  expect_back_to_baseline();
}

TEST_F(leak, fiber_killed_while_idle) {
  fibersql::run([&] {
    std::vector<fiber> fibers;
    for (std::size_t i = 0; i < fibers_per_scenario; ++i) {
      fibers.push_back(spawn([&] {
        db_->execute("SELECT 1");
        this_fiber::sleep_for(1h);
      }));
    }
    wait_until_holders(fibers_per_scenario);
    for (fiber& f : fibers) f.kill();
    for (fiber& f : fibers) f.join();
    for (fiber& f : fibers) EXPECT_TRUE(f.killed());
  });
  expect_back_to_baseline();
}

TEST_F(leak, fiber_killed_mid_query) {
  with_statements_in_flight(
      fibers_per_scenario, [&] { db_->execute(in_flight_sql()); },
      [](std::vector<fiber>& victims) {
        for (fiber& f : victims) f.kill();
      });
  EXPECT_EQ(rows(), 0) << "a killed statement must not have written";
  expect_back_to_baseline();
}

TEST_F(leak, fiber_timed_out_mid_query) {
  std::size_t timed_out = 0;
  with_statements_in_flight(
      fibers_per_scenario,
      [&] {
        try {
          timeout limit(300ms);
          db_->execute(in_flight_sql());
        } catch (const timeout_error&) {
          ++timed_out;
        }
      },
      [](std::vector<fiber>&) {});
  EXPECT_EQ(timed_out, fibers_per_scenario);
  EXPECT_EQ(rows(), 0);
  expect_back_to_baseline();
}

TEST_F(leak, fiber_ends_inside_open_atomic_and_commits_nothing) {
  fibersql::run([&] {
    // Killed inside the callable form (SQLite writers take turns: one lock holder at a time).
    std::vector<fiber> fibers;
    for (std::size_t i = 0; i < fibers_per_scenario; ++i) {
      fibers.push_back(spawn([&, i] {
        db_->atomic([&] {
          db_->execute("INSERT INTO leak_items VALUES (?, 'killed in atomic')", {value(std::int64_t(i))});
          this_fiber::sleep_for(1h);
        });
      }));
    }
    wait_until_holders(on_mysql ? fibers_per_scenario : 1);
    this_fiber::sleep_for(20ms);
    for (fiber& f : fibers) f.kill();
    for (fiber& f : fibers) f.join();
    // A scope form that outlives its fiber: the hook rolls back and reports the bug.
    std::vector<std::optional<db::transaction>> leaked(fibers_per_scenario);
    std::vector<fiber> leakers;
    for (std::size_t i = 0; i < fibers_per_scenario; ++i) {
      leakers.push_back(spawn(
          [&, i] {
            leaked[i].emplace(db_->atomic());
            db_->execute("INSERT INTO leak_items VALUES (?, 'leaked scope')", {value(std::int64_t(i))});
          },
          {.name = "leaker"}));
    }
    for (fiber& f : leakers) f.join();
  });
  EXPECT_EQ(rows(), 0) << "writes of a fiber that ended inside atomic() were committed";
  EXPECT_EQ(reports_.size(), fibers_per_scenario) << "only the leaked scopes are the caller's bug";
  for (const auto& r : reports_) {
    EXPECT_EQ(r.fiber_name, "leaker");
    EXPECT_EQ(r.last_statement, "INSERT INTO leak_items VALUES (?, 'leaked scope')");
  }
  expect_back_to_baseline();
}

// User code that catches everything inside atomic() swallows the fiber_exit of a kill: the
// body then returns normally, and atomic() must still roll back, never send COMMIT.
TEST_F(leak, fiber_killed_inside_atomic_that_swallows_fiber_exit_commits_nothing) {
  std::size_t pending_seen = 0, exits = 0;
  fibersql::run([&] {
    // SQLite writers take turns, so most fibers are killed inside their INSERT, MySQL ones
    // in the sleep after it: either way the body swallows the kill and returns.
    auto swallow = [&](std::size_t i) {
      try {
        db_->execute("INSERT INTO leak_items VALUES (?, 'swallowed kill')", {value(std::int64_t(i))});
        this_fiber::sleep_for(1h);
      } catch (...) {
      }
      if (this_fiber::kill_pending()) ++pending_seen;
    };
    std::vector<fiber> fibers;
    for (std::size_t i = 0; i < fibers_per_scenario; ++i) {
      fibers.push_back(spawn([&, i] {
        try {
          if (i % 2 == 0) {
            db_->atomic([&] { swallow(i); });
          } else {
            auto tx = db_->atomic();
            swallow(i);
            tx.commit();
          }
        } catch (const fiber_exit&) {
          ++exits;
          throw;
        }
      }));
    }
    wait_until_holders(on_mysql ? fibers_per_scenario : 1);
    this_fiber::sleep_for(20ms);
    for (fiber& f : fibers) f.kill();
    for (fiber& f : fibers) {
      f.join();
      EXPECT_TRUE(f.killed());
    }
  });
  EXPECT_EQ(pending_seen, fibers_per_scenario);
  EXPECT_EQ(exits, fibers_per_scenario) << "commit() with a kill pending throws fiber_exit";
  EXPECT_EQ(rows(), 0) << "a killed fiber's swallowed fiber_exit let atomic() commit";
  EXPECT_TRUE(reports_.empty()) << "rolled back by atomic(), not abandoned";
  expect_back_to_baseline();
}

TEST_F(leak, hub_shutdown_with_1000_live_fibers_holding_connections) {
  std::size_t n = 1000;
  if constexpr (on_mysql) {
    // Sessions beyond max_connections are refused; leave room for admin and helpers.
    const auto max = fibersql::run(
        [] { return testing::admin{}.connection().query("SELECT @@max_connections").rows.at(0).get<std::int64_t>(0); });
    if (static_cast<std::size_t>(max) < n + 50) {
      n = static_cast<std::size_t>(max) - 50;
      std::cout << "[ note ] server max_connections=" << max << ": shutting down with " << n << " fibers\n";
    }
  }
  std::size_t connect_failures = 0;
  std::string first_failure;
  fibersql::run([&] {
    const deadline until = deadline_after(60s);
    for (std::size_t i = 0; i < n; ++i) {
      spawn(
          [&] {
            // 1,000 connects at once on a loaded machine: some may exceed connect_timeout
            // (the server accepts and forks its threads slower than they arrive). A holder
            // that could not connect tries again; what this test checks is the shutdown.
            for (;;) {
              try {
                db_->execute("SELECT 1");
                break;
              } catch (const operational_error& e) {
                if (connect_failures++ == 0) first_failure = e.what();
                if (clock::now() >= until) throw;
                this_fiber::sleep_for(10ms);
              }
            }
            this_fiber::sleep_for(1h);
          },
          {.name = "holder"});
    }
    while (db_->stats().open_connections < n && clock::now() < until) this_fiber::sleep_for(10ms);
    if (connect_failures > 0) {
      std::cout << "[ note ] " << connect_failures << " connects failed and were retried; first: " << first_failure
                << "\n";
    }
    ASSERT_EQ(db_->stats().open_connections, n)
        << connect_failures << " connects failed (holders retry until 60 s); first: " << first_failure;
    // Returning ends run(): the hub kills every fiber and runs its hook before it goes.
  });
  expect_back_to_baseline();
}

TEST_F(leak, ten_thousand_fibers_in_waves_of_500) {
  std::size_t peak = 0;
  fibersql::run([&] {
    for (int wave = 0; wave < 20; ++wave) {
      std::vector<fiber> fibers;
      for (int i = 0; i < 500; ++i) {
        fibers.push_back(spawn([&, i] {
          db_->execute("SELECT ?", {value(std::int64_t(i))});
          if (i % 50 == 0) db_->execute("INSERT INTO leak_items VALUES (?, 'wave')", {value(std::int64_t(i))});
          peak = std::max(peak, db_->stats().open_connections);
        }));
      }
      join_all(fibers);
    }
  });
  EXPECT_LE(peak, 500u);
  EXPECT_EQ(db_->stats().opened, 10'001u);
  EXPECT_EQ(rows(), 200);
  expect_back_to_baseline();
}

// The control: a connection taken around the hook must be reported, or the detector is blind.
TEST_F(leak, control_detector_reports_a_connection_opened_outside_the_hook) {
  std::unique_ptr<db::lease> stray;
  fibersql::run([&] {
    stray = db_->source()->acquire();
    stray->get().query("SELECT 1");
    // And the database's own books: a fiber holding its connection shows up.
    event done;
    fiber holder = spawn([&] {
      db_->execute("SELECT 1");
      done.wait();
    });
    wait_until_holders(1);
    EXPECT_FALSE(stats_leaks(*db_).empty()) << "db.stats() did not show a held connection";
    done.set();
    holder.join();
  });
  const auto found = probe_.leaks_since(base_, 1s);
  EXPECT_FALSE(found.empty()) << "the detector missed a connection opened outside the hook";
  if constexpr (on_mysql) {
    EXPECT_TRUE(std::any_of(found.begin(), found.end(), [](const std::string& l) {
      return l.starts_with("server sessions");
    })) << describe(found);
  }
  EXPECT_TRUE(std::any_of(found.begin(), found.end(), [](const std::string& l) { return l.starts_with("fds"); }))
      << describe(found);
  fibersql::run([&] { stray->give_back(/*keep=*/true); });
  expect_back_to_baseline();
}

}  // namespace
}  // namespace fibersql::leak
