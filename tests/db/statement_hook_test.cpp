// database_options::on_statement: every statement (raw ones, atomic()'s BEGIN/COMMIT, failed
// ones) reaches the hook with its fiber, text, parameter count, duration, rows and error.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <fibersql/db/database.hpp>
#include <fibersql/runtime/runtime.hpp>
#include <fibersql/sql/errors.hpp>

namespace fibersql::db {
namespace {

struct seen {
  std::uint64_t fiber_id;
  std::string fiber_name, sql;
  std::size_t params;
  std::uint64_t rows;
  bool failed;
  clock::duration duration;
};

TEST(statement_hook, sees_every_statement_with_its_fiber_params_rows_and_error) {
  std::vector<seen> log;
  database_options o;
  o.on_statement = [&](const statement_event& e) {
    log.push_back({e.fiber_id, std::string(e.fiber_name), std::string(e.sql), e.param_count, e.rows, e.error != nullptr,
                   e.duration});
  };
  database db{"sqlite::memory:", o};
  std::uint64_t worker_id = 0;
  fibersql::run([&] {
    spawn(
        [&] {
          worker_id = this_fiber::id();
          db.execute("CREATE TABLE t (k INTEGER)");
          {
            auto tx = db.atomic();
            db.execute("INSERT INTO t VALUES (?), (?)", {value(std::int64_t{1}), value(std::int64_t{2})});
            tx.commit();
          }
          EXPECT_EQ(db.query("SELECT k FROM t").rows.size(), 2u);
          EXPECT_THROW(db.execute("SELECT * FROM missing"), programming_error);
        },
        {.name = "worker"})
        .join();
  });
  ASSERT_EQ(log.size(), 6u);
  EXPECT_EQ(log[0].sql, "CREATE TABLE t (k INTEGER)");
  EXPECT_EQ(log[1].sql, "BEGIN");
  EXPECT_EQ(log[2].sql, "INSERT INTO t VALUES (?), (?)");
  EXPECT_EQ(log[2].params, 2u);
  EXPECT_EQ(log[2].rows, 2u);  // affected
  EXPECT_EQ(log[3].sql, "COMMIT");
  EXPECT_EQ(log[4].sql, "SELECT k FROM t");
  EXPECT_EQ(log[4].rows, 2u);  // returned
  EXPECT_FALSE(log[4].failed);
  EXPECT_EQ(log[5].sql, "SELECT * FROM missing");
  EXPECT_TRUE(log[5].failed);
  for (const seen& s : log) {
    EXPECT_EQ(s.fiber_id, worker_id);
    EXPECT_EQ(s.fiber_name, "worker");
    EXPECT_GE(s.duration.count(), 0);
  }
}

TEST(statement_hook, a_throwing_hook_does_not_change_the_outcome) {
  database_options o;
  int calls = 0;
  o.on_statement = [&](const statement_event&) {
    ++calls;
    throw std::runtime_error("observer failed");
  };
  database db{"sqlite::memory:", o};
  fibersql::run([&] { EXPECT_EQ(db.query("SELECT 1").rows.size(), 1u); });
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace fibersql::db
