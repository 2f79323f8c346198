// options::run_blocking: which statements leave the calling thread, and that a handle
// stepped on another thread works.
#include <cstdio>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include <fibersql/sql/errors.hpp>
#include <fibersql/sqlite/connection.hpp>

namespace fibersql {
namespace {

struct counting_runner {
  int calls = 0;
  // Runs the call on a fresh thread, as the worker pool would.
  void operator()(const std::function<void()>& call) {
    ++calls;
    std::thread t(call);
    t.join();
  }
};

std::string temp_db(const char* name) {
  const std::string path = ::testing::TempDir() + name;
  std::remove(path.c_str());
  std::remove((path + "-wal").c_str());
  std::remove((path + "-shm").c_str());
  return path;
}

TEST(sqlite_blocking, syncing_statements_run_through_run_blocking_others_inline) {
  auto runner = std::make_shared<counting_runner>();
  sqlite::options o;
  o.run_blocking = [runner](const std::function<void()>& call) { (*runner)(call); };
  sqlite::connection c(temp_db("fibersql_blocking_syncing.db"), o);
  c.execute_script("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t (x INTEGER)");
  runner->calls = 0;
  c.query("SELECT 1");
  EXPECT_EQ(runner->calls, 0) << "a read stays inline";
  c.query("INSERT INTO t VALUES (1)");
  EXPECT_EQ(runner->calls, 1) << "a write outside a transaction commits (syncs) itself";
  c.begin();
  c.query("INSERT INTO t VALUES (2)");
  c.query("SELECT count(*) FROM t");
  EXPECT_EQ(runner->calls, 1) << "BEGIN and writes inside the transaction stay inline";
  c.commit();
  EXPECT_EQ(runner->calls, 2) << "COMMIT waits for the disk";
  c.begin();
  c.query("INSERT INTO t VALUES (3)");
  c.rollback();
  EXPECT_EQ(runner->calls, 2) << "ROLLBACK does not sync";
  EXPECT_EQ(c.query("SELECT count(*) FROM t").rows.at(0).get<int>(0), 2);
}

TEST(sqlite_blocking, every_statement_when_asked_and_errors_still_come_back) {
  auto runner = std::make_shared<counting_runner>();
  sqlite::options o;
  o.run_blocking = [runner](const std::function<void()>& call) { (*runner)(call); };
  o.run_blocking_for = sqlite::options::blocking::every;
  sqlite::connection c(temp_db("fibersql_blocking_every.db"), o);
  c.execute_script("CREATE TABLE t (x INTEGER PRIMARY KEY)");
  runner->calls = 0;
  EXPECT_EQ(c.query("SELECT 41 + 1").rows.at(0).get<int>(0), 42);
  c.query("INSERT INTO t VALUES (1)");
  EXPECT_THROW(c.query("INSERT INTO t VALUES (1)"), integrity_error);
  EXPECT_GE(runner->calls, 3);
}

TEST(sqlite_blocking, no_runner_means_inline_as_before) {
  sqlite::connection c(":memory:");
  EXPECT_EQ(c.query("SELECT 7").rows.at(0).get<int>(0), 7);
}

}  // namespace
}  // namespace fibersql
