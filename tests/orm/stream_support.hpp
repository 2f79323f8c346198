#pragma once
// What the stream, batches and pipeline suites share: a table of numbered items, filling it
// with n rows in one statement, and the backends they run on (an SQLite file, the MariaDB
// fixture; test names end in /mariadb there).
#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdint>
#include <filesystem>
#include <ostream>
#include <string>

#include <fibersql/orm/orm.hpp>

#include "support/test_env.hpp"

namespace app {
namespace orm = fibersql::orm;

struct item {
  std::int64_t id = 0;
  std::int64_t n = 0;
  std::string label;  // unique: "item <n>" and padding
};
FIBERSQL_TABLE(items, item, (id, auto_increment), (n, index), (label, unique, max_length(255)));

// What a batch loop writes: one row per item seen.
struct item_log {
  std::int64_t id = 0;
  std::int64_t item_id = 0;
};
FIBERSQL_TABLE(item_logs, item_log, (id, auto_increment), (item_id));

}  // namespace app

namespace fibersql::orm_test {

enum class backend { sqlite_file, mariadb };
inline void PrintTo(backend b, std::ostream* os) {
  *os << (b == backend::sqlite_file ? "sqlite_file" : "mariadb");
}

inline std::string sqlite_file_url(std::string name) {
  for (char& c : name)
    if (c == '/') c = '_';
  const auto path =
      std::filesystem::temp_directory_path() / ("fibersql_" + name + "_" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  return "sqlite://" + path.string();
}

inline bool is_mysql(db::database& db) {
  return orm::dialect_of(db.connection().server_version()).mysql_family();
}

// fill: items 1..n, labels "item <n>" followed by `pad` x's, in one INSERT ... SELECT.
inline void fill(db::database& db, std::int64_t n, int pad = 0) {
  const std::string num = std::to_string(n), width = std::to_string(pad);
  if (is_mysql(db)) {
    db.execute("INSERT INTO items (n, label) SELECT seq, CONCAT('item ', seq, REPEAT('x', " + width +
               ")) FROM seq_1_to_" + num);
  } else {
    db.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < " + num +
               ") INSERT INTO items (n, label) SELECT x, 'item ' || x || substr(hex(zeroblob(" + width + ")), 1, " +
               width + ") FROM c");
  }
}

// A fresh schema (items, item_logs) for each case.
inline void fresh_schema(db::database& db) {
  orm::drop_tables(db, app::items, app::item_logs);
  orm::create_tables(db, app::items, app::item_logs);
}

// The fixture of the parameterised suites: the URL of the backend under test.
class backend_test : public ::testing::TestWithParam<backend> {
 protected:
  void SetUp() override {
    if (GetParam() == backend::mariadb) {
      FIBERSQL_REQUIRE_MYSQL();
      url_ = testing::test_mysql_url();
    } else {
      url_ = sqlite_file_url(::testing::UnitTest::GetInstance()->current_test_info()->name());
    }
  }
  std::string url_;
};

}  // namespace fibersql::orm_test
