// SQLite file databases commit on the worker pool; sqlite::memory: stays on the hub.
#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include <fibersql/db/database.hpp>
#include <fibersql/runtime/runtime.hpp>

namespace fibersql {
namespace {

using namespace std::chrono_literals;
using db::database;

std::string temp_db(const char* name) {
  const std::string path = ::testing::TempDir() + name;
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  return path;
}

TEST(database_offload, file_commits_run_on_the_worker_pool_and_100_fibers_all_commit) {
  database db{"sqlite://" + temp_db("fibersql_offload.db")};
  fibersql::run([&] {
    db.execute("PRAGMA journal_mode=WAL");
    db.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, fiber INTEGER)");
    const std::uint64_t before = thread_pool::shared().stats().started;
    std::vector<fiber> fibers;
    for (int i = 0; i < 100; ++i) {
      fibers.push_back(spawn([&, i] {
        db.execute("PRAGMA synchronous=FULL");
        db.atomic([&] { db.execute("INSERT INTO items (fiber) VALUES (?)", {value(i)}); });
        db.close();
      }));
    }
    join_all(fibers);
    EXPECT_GE(thread_pool::shared().stats().started - before, 100u) << "each COMMIT went to a worker";
    EXPECT_EQ(db.query("SELECT count(*) FROM items").rows.at(0).get<int>(0), 100);
  });
}

TEST(database_offload, memory_database_stays_on_the_hub) {
  database db{"sqlite::memory:"};
  fibersql::run([&] {
    db.execute("CREATE TABLE items (id INTEGER PRIMARY KEY)");
    const std::uint64_t before = thread_pool::shared().stats().started;
    db.atomic([&] { db.execute("INSERT INTO items VALUES (1)"); });
    db.execute("INSERT INTO items VALUES (2)");
    EXPECT_EQ(thread_pool::shared().stats().started, before);
  });
}

}  // namespace
}  // namespace fibersql
