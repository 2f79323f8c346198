// database on SQLite: fiber-local connections, the exit hook, atomic(), close(), stats().
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <stdexcept>
#include <vector>

#include <fibersql/db/database.hpp>
#include <fibersql/db/url_source.hpp>
#include <fibersql/runtime/runtime.hpp>
#include <fibersql/sql/errors.hpp>

namespace fibersql::db {
namespace {

using namespace std::chrono_literals;

std::int64_t count_rows(database& db) {
  return db.query("SELECT COUNT(*) FROM items").rows.at(0).get<std::int64_t>(0);
}

void make_table(database& db) {
  db.execute("CREATE TABLE items (k INTEGER NOT NULL, v TEXT)");
}

TEST(database, unknown_url_scheme_is_an_interface_error) {
  EXPECT_THROW(database{"postgres://x@y/z"}, interface_error);
  EXPECT_THROW(database{"sqlite:"}, interface_error);
  EXPECT_THROW(database{std::shared_ptr<connection_source>{}}, interface_error);
}

TEST(database, is_movable_into_unique_ptr_optional_and_back_and_connections_follow_it) {
  fibersql::run([] {
    database first{"sqlite::memory:"};
    make_table(first);
    fibersql::connection* conn = &first.connection();
    auto held = std::make_unique<database>(std::move(first));
    EXPECT_EQ(&held->connection(), conn) << "the fiber's connection moved with the database";
    EXPECT_EQ(count_rows(*held), 0);
    std::optional<database> maybe;
    maybe.emplace(std::move(*held));
    held.reset();  // destroying a moved-from database is fine
    maybe->execute("INSERT INTO items VALUES (?, ?)", {1, "a"});
    EXPECT_EQ(count_rows(*maybe), 1);
    database other{"sqlite::memory:"};
    other = std::move(*maybe);
    EXPECT_EQ(count_rows(other), 1);
    EXPECT_EQ(other.stats().open_connections, 1u);
  });
}

TEST(database, stream_hands_rows_over_one_at_a_time_and_yields_during_a_long_scan) {
  database db{"sqlite::memory:"};
  fibersql::run([&] {
    db.execute("CREATE TABLE n (i INTEGER)");
    db.execute(
        "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 2000) "
        "INSERT INTO n SELECT i FROM c");
    int ticks = 0;
    fiber ticker = spawn([&] {
      for (;;) {
        ++ticks;
        this_fiber::yield();
      }
    });
    row_cursor rows = db.stream("SELECT i FROM n WHERE i > ? ORDER BY i", {0});
    EXPECT_EQ(rows.columns().at(0), "i");
    const int ticks_at_start = ticks;
    std::int64_t sum = 0, count = 0;
    while (auto r = rows.next()) {
      sum += r->get<std::int64_t>(0);
      ++count;
    }
    EXPECT_EQ(count, 2000);
    EXPECT_EQ(sum, 2000 * 2001 / 2);
    EXPECT_TRUE(rows.done());
    EXPECT_GE(ticks - ticks_at_start, 2000 / static_cast<int>(row_cursor::rows_per_yield) - 1)
        << "the scan let the other fiber run every " << row_cursor::rows_per_yield << " rows";
    ticker.kill();
  });
}

TEST(database, an_open_stream_claims_the_connection) {
  database db{"sqlite::memory:"};
  fibersql::run([&] {
    make_table(db);
    db.execute("INSERT INTO items VALUES (1, 'a'), (2, 'b')");
    row_cursor rows = db.stream("SELECT k FROM items ORDER BY k");
    ASSERT_TRUE(rows.next().has_value());
    EXPECT_THROW(db.close(), interface_error) << "close() while the stream reads the connection";
    EXPECT_THROW(db.execute("SELECT 1"), stream_open_error) << "the connection is busy streaming";
    spawn([&] { EXPECT_THROW(rows.next(), interface_error) << "another fiber's stream"; }).join();
    rows.close();
    EXPECT_TRUE(rows.done());
    EXPECT_EQ(count_rows(db), 2) << "usable again once the stream is closed";
    EXPECT_NO_THROW(db.close());
  });
}

TEST(database, prepare_runs_one_statement_many_times) {
  database db{"sqlite::memory:"};
  fibersql::run([&] {
    make_table(db);
    prepared_statement insert = db.prepare("INSERT INTO items VALUES (?, ?)");
    for (int i = 0; i < 5; ++i) insert.execute({i, "v"});
    EXPECT_EQ(count_rows(db), 5);
    EXPECT_EQ(db.prepare("SELECT SUM(k) FROM items WHERE k >= ?").execute({3}).rows.at(0).get<int>(0), 7);
    db.close();
    EXPECT_THROW(insert.execute({9, "x"}), interface_error) << "its connection is gone";
  });
}

TEST(database, memory_database_is_shared_by_all_fibers_and_each_fiber_has_its_own_connection) {
  database db{"sqlite::memory:"};
  fibersql::run([&] {
    make_table(db);
    fibersql::connection* main_conn = &db.connection();
    EXPECT_EQ(main_conn, &db.connection()) << "same fiber, same connection";
    fibersql::connection* other = nullptr;
    spawn(
        [&] {
          db.execute("INSERT INTO items VALUES (?, ?)", {value(std::int64_t{1}), value(std::string("a"))});
          other = &db.connection();
          EXPECT_EQ(db.stats().open_connections, 2u);
        },
        {.name = "writer"})
        .join();
    EXPECT_NE(other, main_conn);
    EXPECT_EQ(count_rows(db), 1);
    const database_stats s = db.stats();
    EXPECT_EQ(s.open_connections, 1u);
    EXPECT_EQ(s.opened, 2u);
    EXPECT_EQ(s.closed, 1u);
  });
  const database_stats s = db.stats();
  EXPECT_EQ(s.open_connections, 0u);
  EXPECT_EQ(s.opened, s.closed);
  EXPECT_EQ(s.abandoned_total, 0u);
}

TEST(database, every_way_a_fiber_ends_releases_its_connection) {
  database db{"sqlite::memory:"};
  fibersql::run([&] {
    std::vector<fiber> fibers;
    fibers.push_back(spawn([&] { db.execute("SELECT 1"); }));
    fibers.push_back(spawn([&] {
      db.execute("SELECT 1");
      throw std::runtime_error("boom");
    }));
    fibers.push_back(spawn([&] {
      db.execute("SELECT 1");
      this_fiber::sleep_for(1h);
    }));
    fibers.push_back(spawn([&] {
      timeout t(10ms);
      db.execute("SELECT 1");
      this_fiber::sleep_for(1h);
    }));
    this_fiber::sleep_for(1ms);
    EXPECT_EQ(db.stats().open_connections, 2u);  // two sleep; one returned, one threw
    fibers[2].kill();
    for (fiber& f : fibers) {
      try {
        f.join();
      } catch (const std::exception&) {
      }
    }
    EXPECT_EQ(db.stats().open_connections, 0u);
    EXPECT_EQ(db.stats().opened, 4u);
    EXPECT_EQ(db.stats().closed, 4u);
  });
}

TEST(database, callable_atomic_commits_on_return_and_rolls_back_on_exception) {
  database db{"sqlite::memory:"};
  fibersql::run([&] {
    make_table(db);
    const int got = db.atomic([&] {
      db.execute("INSERT INTO items VALUES (1, 'kept')");
      return 7;
    });
    EXPECT_EQ(got, 7);
    EXPECT_THROW(db.atomic([&] {
      db.execute("INSERT INTO items VALUES (2, 'lost')");
      throw std::runtime_error("no");
    }),
                 std::runtime_error);
    EXPECT_EQ(count_rows(db), 1);
    EXPECT_FALSE(db.connection().in_transaction());
  });
}

TEST(database, nested_atomic_becomes_a_savepoint) {
  database db{"sqlite::memory:"};
  fibersql::run([&] {
    make_table(db);
    db.atomic([&](transaction& outer) {
      EXPECT_EQ(outer.depth(), 1u);
      db.execute("INSERT INTO items VALUES (1, 'outer')");
      try {
        db.atomic([&](transaction& inner) {
          EXPECT_EQ(inner.depth(), 2u);
          db.execute("INSERT INTO items VALUES (2, 'inner')");
          EXPECT_EQ(db.stats().holders.at(0).transaction_depth, 2u);
          throw std::runtime_error("undo the inner one");
        });
      } catch (const std::runtime_error&) {
      }
      EXPECT_EQ(count_rows(db), 1);
      auto tx = db.atomic();
      db.execute("INSERT INTO items VALUES (3, 'inner kept')");
      tx.commit();
    });
    EXPECT_EQ(count_rows(db), 2);
  });
}

TEST(database, scope_atomic_commits_only_when_told) {
  database db{"sqlite::memory:"};
  fibersql::run([&] {
    make_table(db);
    {
      auto tx = db.atomic();
      db.execute("INSERT INTO items VALUES (1, 'dropped')");
    }
    EXPECT_EQ(count_rows(db), 0);
    {
      auto tx = db.atomic();
      db.execute("INSERT INTO items VALUES (2, 'kept')");
      tx.commit();
      EXPECT_FALSE(tx.active());
      EXPECT_THROW(tx.commit(), programming_error);
    }
    EXPECT_EQ(count_rows(db), 1);
    auto outer = db.atomic();
    auto inner = db.atomic();
    EXPECT_THROW(outer.commit(), programming_error) << "inner scope still open";
    inner.rollback();
    outer.rollback();
  });
}

TEST(database, killed_inside_atomic_commits_nothing_and_is_not_reported) {
  std::vector<abandoned_transaction> reports;
  database db{"sqlite::memory:",
              {.on_abandoned_transaction = [&](const abandoned_transaction& r) { reports.push_back(r); }}};
  fibersql::run([&] {
    make_table(db);
    fiber f = spawn([&] {
      db.atomic([&] {
        db.execute("INSERT INTO items VALUES (1, 'never')");
        this_fiber::sleep_for(1h);
      });
    });
    this_fiber::sleep_for(5ms);
    f.kill();
    f.join();
    EXPECT_TRUE(f.killed());
    EXPECT_EQ(count_rows(db), 0);
  });
  EXPECT_TRUE(reports.empty());
  EXPECT_EQ(db.stats().open_connections, 0u);
}

TEST(database, transaction_left_open_is_rolled_back_and_reported) {
  std::vector<abandoned_transaction> reports;
  database db{"sqlite::memory:",
              {.on_abandoned_transaction = [&](const abandoned_transaction& r) { reports.push_back(r); }}};
  std::optional<transaction> leaked;  // outlives its fiber: a caller's bug
  fibersql::run([&] {
    make_table(db);
    std::uint64_t bare_id = 0;
    spawn(
        [&] {
          bare_id = this_fiber::id();
          db.connection().begin();
          db.execute("INSERT INTO items VALUES (1, 'bare begin')");
        },
        {.name = "forgetful"})
        .join();
    spawn(
        [&] {
          leaked.emplace(db.atomic());
          db.execute("INSERT INTO items VALUES (2, 'leaked scope')");
        },
        {.name = "leaky"})
        .join();
    EXPECT_EQ(count_rows(db), 0);
    ASSERT_EQ(reports.size(), 2u);
    EXPECT_EQ(reports[0].fiber_id, bare_id);
    EXPECT_EQ(reports[0].fiber_name, "forgetful");
    EXPECT_EQ(reports[0].last_statement, "INSERT INTO items VALUES (1, 'bare begin')");
    EXPECT_EQ(reports[0].transaction_depth, 0u);
    EXPECT_TRUE(reports[0].rolled_back);
    EXPECT_EQ(reports[1].fiber_name, "leaky");
    EXPECT_EQ(reports[1].transaction_depth, 1u);
    const database_stats s = db.stats();
    EXPECT_EQ(s.abandoned_total, 2u);
    ASSERT_EQ(s.recent_abandoned.size(), 2u);
    EXPECT_NE(s.dump().find("abandoned: fiber"), std::string::npos) << s.dump();
  });
  leaked.reset();  // its fiber is gone: destroying it does nothing
  EXPECT_EQ(db.stats().open_connections, 0u);
}

TEST(database, close_releases_now_and_refuses_inside_a_transaction) {
  database db{"sqlite::memory:"};
  fibersql::run([&] {
    db.execute("SELECT 1");
    EXPECT_TRUE(db.is_connected());
    db.close();
    EXPECT_FALSE(db.is_connected());
    EXPECT_EQ(db.stats().open_connections, 0u);
    db.close();  // idempotent
    {
      auto tx = db.atomic();
      EXPECT_THROW(db.close(), interface_error);
    }
    db.connection().begin();
    EXPECT_THROW(db.close(), interface_error);
    db.connection().rollback();
    db.close();
    EXPECT_EQ(db.stats().opened, 2u);
    EXPECT_EQ(db.stats().closed, 2u);
  });
}

TEST(database, stats_name_the_holders_and_their_running_statements) {
  const std::string path = ::testing::TempDir() + "fibersql_db_stats.db";
  std::remove(path.c_str());
  database db{"sqlite://" + path};
  fibersql::run([&] {
    make_table(db);
    event release;
    fiber holder = spawn(
        [&] {
          auto tx = db.atomic();
          db.execute("INSERT INTO items VALUES (1, 'holding the write lock')");
          release.wait();
          tx.commit();
        },
        {.name = "holder"});
    fiber waiter = spawn([&] { db.execute("INSERT INTO items VALUES (2, 'waits for the lock')"); }, {.name = "waiter"});
    this_fiber::sleep_for(30ms);
    const database_stats s = db.stats();
    EXPECT_EQ(s.open_connections, 3u);
    bool saw_waiter = false;
    for (const held_connection& h : s.holders) {
      if (h.fiber_name == "holder") {
        EXPECT_EQ(h.transaction_depth, 1u);
        EXPECT_TRUE(h.in_transaction);
        EXPECT_TRUE(h.current_statement.empty());
      }
      if (h.fiber_name == "waiter") {
        saw_waiter = true;
        EXPECT_EQ(h.current_statement, "INSERT INTO items VALUES (2, 'waits for the lock')");
        EXPECT_GE(h.statement_running_for, 20ms);
      }
    }
    EXPECT_TRUE(saw_waiter) << s.dump();
    EXPECT_NE(s.dump().find("'waiter'"), std::string::npos) << s.dump();
    release.set();
    holder.join();
    waiter.join();
    EXPECT_EQ(count_rows(db), 2);
  });
  std::remove(path.c_str());
}

TEST(database, database_may_die_before_the_fibers_that_use_it) {
  fibersql::run([&] {
    auto db = std::make_unique<database>("sqlite::memory:");
    event go;
    fiber f = spawn([&, d = db.get()] {
      d->execute("SELECT 1");
      go.wait();
    });
    this_fiber::sleep_for(1ms);
    db.reset();
    go.set();
    f.join();
  });
}

// A source of our own (how the pool plugs in): it sees every connection come back rolled back.
class checking_source final : public connection_source {
 public:
  // Wraps the inner source's lease to count what comes back.
  class checking_lease final : public lease {
   public:
    checking_lease(checking_source& source, std::unique_ptr<lease> inner) : source_(source), inner_(std::move(inner)) {}
    fibersql::connection& get() noexcept override { return inner_->get(); }
    void give_back(bool keep) noexcept override {
      ++source_.released;
      if (get().in_transaction()) ++source_.released_in_transaction;
      if (!keep) ++source_.released_to_close;
      inner_->give_back(keep);
    }

   private:
    checking_source& source_;
    std::unique_ptr<lease> inner_;
  };

  std::unique_ptr<lease> acquire() override {
    ++acquired;
    return std::make_unique<checking_lease>(*this, inner_.acquire());
  }
  std::string describe() const override { return "checking(" + inner_.describe() + ")"; }

  int acquired = 0, released = 0, released_in_transaction = 0, released_to_close = 0;

 private:
  url_source inner_{"sqlite::memory:"};
};

TEST(database, custom_source_gets_every_connection_back_rolled_back) {
  auto source = std::make_shared<checking_source>();
  database db{source, {.on_abandoned_transaction = [](const abandoned_transaction&) {}}};
  EXPECT_EQ(db.stats().source, "checking(sqlite::memory:)");
  fibersql::run([&] {
    make_table(db);
    std::vector<fiber> fibers;
    for (int i = 0; i < 10; ++i) {
      fibers.push_back(spawn([&] {
        db.connection().begin();
        db.execute("INSERT INTO items VALUES (1, 'left open')");
      }));
      fibers.back().join();  // one writer at a time: they do not wait for each other's locks
    }
    EXPECT_EQ(count_rows(db), 0);
  });
  EXPECT_EQ(source->acquired, 11);
  EXPECT_EQ(source->released, 11);
  EXPECT_EQ(source->released_in_transaction, 0);
  EXPECT_EQ(source->released_to_close, 0) << "every rollback succeeded: each connection may be kept";
  EXPECT_EQ(db.stats().abandoned_total, 10u);
}

}  // namespace
}  // namespace fibersql::db
