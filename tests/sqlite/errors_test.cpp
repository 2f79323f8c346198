// SQLite failures arrive as the DB-API class a peewee user expects, with code and SQLSTATE.
#include <fibersql/sql/errors.hpp>
#include <fibersql/sqlite/connection.hpp>

#include <gtest/gtest.h>

#include <sqlite3.h>

namespace fibersql {
namespace {

using namespace std::string_literals;

class sqlite_errors : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.execute_script(R"(
      CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
                           age INTEGER CHECK (age >= 0));
      CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id));
      INSERT INTO parent (id, name, age) VALUES (1, 'ann', 30);
    )");
  }
  // Runs sql and returns the error it threw (fails the test if it threw none).
  template <class E>
  E expect_error(std::string_view sql, std::initializer_list<value> params = {}) {
    try {
      db_.query(sql, params);
    } catch (const E& e) {
      return e;
    }
    ADD_FAILURE() << "no error from " << sql;
    return E(0, "", "");
  }
  sqlite::connection db_{":memory:"};
};

TEST_F(sqlite_errors, constraints_are_integrity_errors_with_code_and_sqlstate) {
  auto e = expect_error<integrity_error>("INSERT INTO parent (id, name) VALUES (?, ?)", {std::int64_t{2}, "ann"s});
  EXPECT_EQ(e.code(), unsigned{SQLITE_CONSTRAINT_UNIQUE});
  EXPECT_EQ(e.sqlstate(), "23505");
  EXPECT_STREQ(e.what(), "UNIQUE constraint failed: parent.name");
  EXPECT_FALSE(e.poisons_connection());

  e = expect_error<integrity_error>("INSERT INTO parent (id, name) VALUES (1, 'bob')");
  EXPECT_EQ(e.code(), unsigned{SQLITE_CONSTRAINT_PRIMARYKEY});
  e = expect_error<integrity_error>("INSERT INTO parent (id) VALUES (3)");
  EXPECT_EQ(e.sqlstate(), "23502");
  e = expect_error<integrity_error>("INSERT INTO parent (name, age) VALUES ('c', -1)");
  EXPECT_EQ(e.sqlstate(), "23514");
  e = expect_error<integrity_error>("INSERT INTO child (parent_id) VALUES (99)");
  EXPECT_EQ(e.code(), unsigned{SQLITE_CONSTRAINT_FOREIGNKEY}) << "foreign_keys is on by default";
  EXPECT_EQ(e.sqlstate(), "23503");
  db_.ping();  // the connection is still good
  EXPECT_FALSE(db_.is_broken());
}

TEST_F(sqlite_errors, bad_sql_is_a_programming_error) {
  auto e = expect_error<programming_error>("SELEC 1");
  EXPECT_EQ(e.code(), unsigned{SQLITE_ERROR});
  EXPECT_EQ(e.sqlstate(), "42000");
  EXPECT_STREQ(e.what(), "near \"SELEC\": syntax error");
  e = expect_error<programming_error>("SELECT * FROM nowhere");
  EXPECT_STREQ(e.what(), "no such table: nowhere");
  e = expect_error<programming_error>("SELECT nope FROM parent");
  EXPECT_STREQ(e.what(), "no such column: nope");
  e = expect_error<programming_error>("SELECT ?", {std::int64_t{1}, std::int64_t{2}});
  EXPECT_STREQ(e.what(), "the statement has 1 placeholders but 2 parameters were given");
  EXPECT_EQ(e.sqlstate(), "07001");
  e = expect_error<programming_error>("  -- nothing\n ");
  EXPECT_FALSE(db_.is_broken());
}

TEST_F(sqlite_errors, a_second_statement_is_refused_before_anything_runs) {
  auto e = expect_error<programming_error>("SELECT 1; DELETE FROM parent");
  EXPECT_STREQ(e.what(),
               "query() runs one statement, but the text continues after it: ' DELETE FROM "
               "parent'; use execute_script()");
  EXPECT_EQ(db_.query("SELECT count(*) FROM parent").rows[0].get<int>(0), 1);
  // Trailing semicolons and comments are not a second statement.
  EXPECT_EQ(db_.query("SELECT 1; -- done\n /* really */ ;").rows.size(), 1u);
}

TEST_F(sqlite_errors, a_failed_statement_inside_a_transaction_leaves_it_open) {
  db_.begin();
  db_.query("INSERT INTO parent (id, name) VALUES (2, 'bob')");
  expect_error<integrity_error>("INSERT INTO parent (id, name) VALUES (3, 'bob')");
  EXPECT_TRUE(db_.in_transaction());
  db_.rollback();
  EXPECT_EQ(db_.query("SELECT count(*) FROM parent").rows[0].get<int>(0), 1);
}

TEST_F(sqlite_errors, transaction_misuse_is_a_programming_error) {
  EXPECT_THROW(db_.commit(), programming_error);
  EXPECT_THROW(db_.rollback(), programming_error);
  db_.begin();
  EXPECT_THROW(db_.begin(), programming_error);
  db_.rollback();
}

TEST_F(sqlite_errors, writes_to_a_read_only_database_are_operational_errors) {
  const std::string path = ::testing::TempDir() + "fibersql_readonly.db";
  std::remove(path.c_str());
  { sqlite::connection(path).query("CREATE TABLE t (x)"); }
  sqlite::connection ro(path, {.read_only = true});
  try {
    ro.query("INSERT INTO t VALUES (1)");
    FAIL();
  } catch (const operational_error& e) {
    EXPECT_EQ(e.code() & 0xff, unsigned{SQLITE_READONLY});
    EXPECT_TRUE(e.poisons_connection());
  }
  EXPECT_FALSE(ro.is_broken()) << "the handle itself is fine";
  std::remove(path.c_str());
}

TEST(sqlite_open, a_path_that_cannot_be_opened_names_itself) {
  try {
    sqlite::connection db("/nonexistent-dir/x.db");
    FAIL();
  } catch (const operational_error& e) {
    EXPECT_EQ(e.code() & 0xff, unsigned{SQLITE_CANTOPEN});
    EXPECT_EQ(e.sqlstate(), "08001");
    EXPECT_STREQ(e.what(), "cannot open SQLite database '/nonexistent-dir/x.db': unable to open database file");
  }
  EXPECT_THROW(sqlite::connection("/tmp/fibersql-missing.db", {.create = false}), operational_error);
}

TEST(sqlite_open, a_file_that_is_not_a_database_breaks_the_handle) {
  const std::string path = ::testing::TempDir() + "fibersql_garbage.db";
  if (FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fputs(std::string(4096, 'x').c_str(), f);
    std::fclose(f);
  }
  sqlite::connection db(path, {.foreign_keys = false});  // opening is lazy in SQLite
  try {
    db.query("SELECT * FROM sqlite_master");
    FAIL();
  } catch (const operational_error& e) {
    EXPECT_EQ(e.code(), unsigned{SQLITE_NOTADB});
  }
  EXPECT_TRUE(db.is_broken());
  EXPECT_FALSE(db.is_open());
  EXPECT_THROW(db.query("SELECT 1"), interface_error);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace fibersql
