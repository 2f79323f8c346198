// Connection lifecycle: opening kinds, shared in-memory databases, transactions, reset, close,
// descriptors, and the busy hook the Database layer uses to let other fibers run.
#include <fibersql/sql/errors.hpp>
#include <fibersql/sqlite/connection.hpp>

#include <gtest/gtest.h>

#include <sqlite3.h>

#include <cstdio>
#include <filesystem>

namespace fibersql {
namespace {

using namespace std::string_literals;

std::size_t open_fds() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
  return n;
}

int count(sqlite::connection& db, const char* table) {
  return db.query("SELECT count(*) FROM "s + table).rows.at(0).get<int>(0);
}

TEST(sqlite_connection, memory_databases_are_private_to_their_connection) {
  sqlite::connection a(":memory:"), b(":memory:");
  a.query("CREATE TABLE t (x)");
  EXPECT_THROW(b.query("SELECT * FROM t"), programming_error);
  EXPECT_EQ(a.backend_name(), "sqlite");
  EXPECT_EQ(a.server_thread_id(), 0u);
}

TEST(sqlite_connection, a_shared_memory_database_is_seen_by_every_connection_with_its_name) {
  auto a = sqlite::connection::open_shared_memory("fibersql test/shared?#%");
  auto b = sqlite::connection::open_shared_memory("fibersql test/shared?#%");
  auto other = sqlite::connection::open_shared_memory("fibersql test/other");
  a->query("CREATE TABLE t (x)");
  a->query("INSERT INTO t VALUES (?)", {std::int64_t{1}});
  EXPECT_EQ(count(*b, "t"), 1);
  EXPECT_THROW(other->query("SELECT * FROM t"), programming_error);
  EXPECT_EQ(a->path(), "file:fibersql%20test%2Fshared%3F%23%25?mode=memory&cache=shared");

  // The data lives while one connection is open, and goes with the last.
  a.reset();
  EXPECT_EQ(count(*b, "t"), 1);
  b->close();
  auto c = sqlite::connection::open_shared_memory("fibersql test/shared?#%");
  EXPECT_THROW(c->query("SELECT * FROM t"), programming_error);
}

TEST(sqlite_connection, transactions_commit_and_roll_back) {
  auto a = sqlite::connection::open_shared_memory("fibersql-tx");
  auto b = sqlite::connection::open_shared_memory("fibersql-tx");
  a->query("CREATE TABLE t (x)");
  EXPECT_FALSE(a->in_transaction());
  a->begin();
  EXPECT_TRUE(a->in_transaction());
  a->query("INSERT INTO t VALUES (1)");
  a->rollback();
  EXPECT_FALSE(a->in_transaction());
  EXPECT_EQ(count(*b, "t"), 0);
  a->begin();
  a->query("INSERT INTO t VALUES (2)");
  a->commit();
  EXPECT_EQ(count(*b, "t"), 1);
}

TEST(sqlite_connection, reset_rolls_back_what_the_last_user_left_open) {
  sqlite::connection db(":memory:");
  db.query("CREATE TABLE t (x)");
  db.reset();  // nothing open: a no-op
  db.begin();
  db.query("INSERT INTO t VALUES (1)");
  db.reset();
  EXPECT_FALSE(db.in_transaction());
  EXPECT_EQ(count(db, "t"), 0);
  EXPECT_FALSE(db.is_broken());
}

TEST(sqlite_connection, close_is_idempotent_and_later_calls_say_closed) {
  sqlite::connection db(":memory:");
  db.ping();
  db.close();
  db.close();
  EXPECT_FALSE(db.is_open());
  EXPECT_FALSE(db.is_broken());
  EXPECT_FALSE(db.in_transaction());
  EXPECT_THROW(db.ping(), operational_error);
  try {
    db.query("SELECT 1");
    FAIL();
  } catch (const interface_error& e) {
    EXPECT_STREQ(e.what(), "the SQLite connection to ':memory:' is closed");
  }
}

TEST(sqlite_connection, closing_with_an_open_transaction_discards_it) {
  const std::string path = ::testing::TempDir() + "fibersql_close_tx.db";
  std::remove(path.c_str());
  {
    sqlite::connection db(path);
    db.query("CREATE TABLE t (x)");
    db.begin();
    db.query("INSERT INTO t VALUES (1)");
  }
  sqlite::connection db(path);
  EXPECT_EQ(count(db, "t"), 0);
  db.close();
  std::remove(path.c_str());
}

TEST(sqlite_connection, descriptors_return_to_baseline_after_close) {
  const std::string path = ::testing::TempDir() + "fibersql_fds.db";
  std::remove(path.c_str());
  const std::size_t baseline = open_fds();
  for (const char* mode : {"DELETE", "WAL"}) {
    std::vector<std::unique_ptr<sqlite::connection>> conns;
    for (int i = 0; i < 4; ++i) conns.push_back(sqlite::connection::open(path));
    conns[0]->query("PRAGMA journal_mode = "s + mode);
    conns[0]->query("CREATE TABLE IF NOT EXISTS t (x)");
    for (auto& c : conns) {
      c->begin();
      c->query("INSERT INTO t VALUES (?)", {"row"s});
      c->commit();
      EXPECT_GE(count(*c, "t"), 1);
    }
    EXPECT_GT(open_fds(), baseline);
    conns[1]->close();
    conns.clear();
    EXPECT_EQ(open_fds(), baseline) << "journal mode " << mode;
  }
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::remove((path + suffix).c_str());
}

TEST(sqlite_connection, execute_script_runs_every_statement) {
  sqlite::connection db(":memory:");
  db.execute_script(
      "CREATE TABLE t (x); INSERT INTO t VALUES (1); -- comment\n"
      "INSERT INTO t VALUES ('a;b'); SELECT * FROM t;");
  EXPECT_EQ(count(db, "t"), 2);
  EXPECT_THROW(db.execute_script("INSERT INTO t VALUES (3); bogus;"), programming_error);
  EXPECT_EQ(count(db, "t"), 3) << "statements before the bad one ran";
}

TEST(sqlite_connection, a_locked_shared_table_is_operational_without_on_busy) {
  auto a = sqlite::connection::open_shared_memory("fibersql-lock", {.busy_timeout = {}});
  auto b = sqlite::connection::open_shared_memory("fibersql-lock", {.busy_timeout = {}});
  a->query("CREATE TABLE t (x)");
  a->begin();
  a->query("INSERT INTO t VALUES (1)");
  try {
    b->query("SELECT * FROM t");
    FAIL();
  } catch (const operational_error& e) {
    EXPECT_EQ(e.code(), unsigned{SQLITE_LOCKED_SHAREDCACHE});
  }
  EXPECT_FALSE(b->is_broken()) << "a lock conflict is not a broken handle";
  a->commit();
  EXPECT_EQ(count(*b, "t"), 1);
}

TEST(sqlite_connection, on_busy_retries_once_the_lock_holder_finishes) {
  auto a = sqlite::connection::open_shared_memory("fibersql-busy");
  std::vector<unsigned> attempts;
  sqlite::connection* reader = nullptr;
  sqlite::options opts{.busy_timeout = {}};
  opts.on_busy = [&](unsigned attempt) {
    attempts.push_back(attempt);
    // Stands in for sleeping the fiber while the one holding the lock runs; a re-entrant call
    // on the same connection must be refused, not interleaved.
    EXPECT_THROW(reader->query("SELECT 1"), concurrent_use_error);
    if (attempt == 2) a->commit();
    return true;
  };
  auto b = sqlite::connection::open_shared_memory("fibersql-busy", opts);
  reader = b.get();
  a->query("CREATE TABLE t (x)");
  a->begin();
  a->query("INSERT INTO t VALUES (1)");
  EXPECT_EQ(count(*b, "t"), 1);
  EXPECT_EQ(attempts, (std::vector<unsigned>{1, 2}));

  opts.on_busy = [](unsigned) { return false; };
  auto c = sqlite::connection::open_shared_memory("fibersql-busy", opts);
  a->begin();
  a->query("INSERT INTO t VALUES (2)");
  EXPECT_THROW(c->query("SELECT * FROM t"), operational_error);
  a->rollback();
}

TEST(sqlite_connection, a_stream_refused_for_its_parameters_leaves_the_connection_free) {
  sqlite::connection db(":memory:");
  const value one(std::int64_t{1});
  EXPECT_THROW(db.open_stream("SELECT ?, ?", {&one, 1}), programming_error);
  EXPECT_EQ(db.query("SELECT 7").rows.at(0).get<int>(0), 7) << "the refused stream kept the connection busy";
  auto rows = db.open_stream("SELECT ?", {&one, 1});
  EXPECT_THROW(db.query("SELECT 1"), concurrent_use_error) << "an open stream holds the connection";
  EXPECT_EQ(rows->next()->get<int>(0), 1);
  EXPECT_FALSE(rows->next().has_value());
  EXPECT_EQ(db.query("SELECT 8").rows.at(0).get<int>(0), 8);
}

TEST(sqlite_connection, server_version_is_the_library_version) {
  sqlite::connection db(":memory:");
  const server_info v = db.server_version();
  EXPECT_EQ(v.flavor, server_flavor::sqlite);
  const std::string text = db.query("SELECT sqlite_version()").rows.at(0).get<std::string>(0);
  EXPECT_EQ(text, std::to_string(v.major) + "." + std::to_string(v.minor) + "." + std::to_string(v.patch));
}

}  // namespace
}  // namespace fibersql
