// The connection's caches as the ORM uses them: the server_info (the dialect) read once per
// connection, and the prepared-statement LRU (one prepare per shape per connection; SQLite's
// live statements and MariaDB's Com_stmt_prepare counter prove it), emptied by reset(), and
// never a second execution of a statement that reached the server.
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <string>

#include <fibersql/db/connection_source.hpp>
#include <fibersql/runtime/runtime.hpp>
#include <fibersql/sqlite/connection.hpp>

#include "models.hpp"
#include "support/test_env.hpp"

namespace {
using namespace app;

// A real SQLite connection that counts how often it is asked for its server_version().
class counting_connection final : public fibersql::connection {
 public:
  explicit counting_connection(int& asked) : inner_(":memory:"), asked_(asked) {}
  using fibersql::connection::query;
  fibersql::result query(std::string_view sql, std::span<const fibersql::value> params) override {
    return inner_.query(sql, params);
  }
  std::unique_ptr<fibersql::statement> open_statement(std::string_view sql) override {
    return inner_.open_statement(sql);
  }
  void begin() override { inner_.begin(); }
  void commit() override { inner_.commit(); }
  void rollback() override { inner_.rollback(); }
  bool in_transaction() const noexcept override { return inner_.in_transaction(); }
  void ping() override { inner_.ping(); }
  void reset() override { inner_.reset(); }
  bool is_broken() const noexcept override { return inner_.is_broken(); }
  std::uint64_t server_thread_id() const noexcept override { return 0; }
  void close() noexcept override {
    forget_prepared();
    inner_.close();
  }
  std::string_view backend_name() const noexcept override { return "sqlite"; }
  fibersql::server_info server_version() const noexcept override {
    ++asked_;
    return inner_.server_version();
  }
  ~counting_connection() override { close(); }

 private:
  fibersql::sqlite::connection inner_;
  int& asked_;
};

class counting_source final : public fibersql::db::connection_source {
 public:
  std::unique_ptr<fibersql::db::lease> acquire() override {
    return std::make_unique<fibersql::db::owned_lease>(std::make_unique<counting_connection>(asked));
  }
  std::string describe() const override { return "counting sqlite::memory:"; }
  int asked = 0;
};

TEST(OrmConnectionCache, DialectIsReadOncePerConnection) {
  auto source = std::make_shared<counting_source>();
  fibersql::run([&] {
    fibersql::db::database db{source};
    orm::create_tables(db, users);
    for (int i = 0; i < 20; ++i) {
      user u{.username = "u" + std::to_string(i), .email = std::nullopt};
      orm::insert(db, u);
      EXPECT_EQ(orm::get_by_id(db, users, u.id).username, u.username);
      EXPECT_EQ(orm::select(users).count(db), i + 1);
    }
  });
  EXPECT_EQ(source->asked, 1) << "60 ORM statements on one connection asked for the server more than once";
}

// The statements SQLite holds compiled for `sql` on this handle.
int live_statements(fibersql::connection& c, std::string_view sql) {
  sqlite3* h = dynamic_cast<fibersql::sqlite::connection&>(c).native_handle();
  int n = 0;
  for (sqlite3_stmt* s = sqlite3_next_stmt(h, nullptr); s != nullptr; s = sqlite3_next_stmt(h, s))
    if (std::string_view(sqlite3_sql(s)) == sql) ++n;
  return n;
}

TEST(OrmConnectionCache, SqliteCompilesEachShapeOnce) {
  fibersql::run([&] {
    fibersql::db::database db{"sqlite::memory:"};
    orm::create_tables(db, users);
    user ann{.username = "ann", .email = std::nullopt};
    orm::insert(db, ann);
    const auto by_id = [&](std::int64_t id) { return orm::select(users.username).where(users.id == id); };
    const std::string shape = by_id(0).sql(orm::sqlite()).text;
    for (int i = 0; i < 50; ++i) EXPECT_EQ(by_id(ann.id).scalar(db), "ann");
    EXPECT_EQ(by_id(-1).first(db), std::nullopt);
    // scalar() and first() add LIMIT 1, so the shape held is that text.
    const std::string limited = by_id(0).limit(1).sql(orm::sqlite()).text;
    EXPECT_EQ(live_statements(db.connection(), limited), 1);
    EXPECT_EQ(live_statements(db.connection(), shape), 0);

    // Bounded: with room for two, a third shape evicts the least recently used.
    db.connection().set_prepared_cache_capacity(2);
    const std::string a = "SELECT 1", b = "SELECT 2", c = "SELECT 3";
    for (const std::string* s : {&a, &b, &a, &c}) db.execute_prepared(*s);
    EXPECT_EQ(live_statements(db.connection(), a), 1);
    EXPECT_EQ(live_statements(db.connection(), b), 0);
    EXPECT_EQ(live_statements(db.connection(), c), 1);
    EXPECT_EQ(live_statements(db.connection(), limited), 0);
    // A schema change under a cached statement: SQLite recompiles it (no stale columns).
    db.execute_prepared("SELECT * FROM users");
    db.execute("ALTER TABLE users ADD COLUMN extra INTEGER");
    EXPECT_EQ(db.execute_prepared("SELECT * FROM users").columns->size(), 6u);
    db.connection().set_prepared_cache_capacity(0);
    EXPECT_EQ(live_statements(db.connection(), a), 0);
    EXPECT_EQ(db.execute_prepared(a).rows.at(0).get<std::int64_t>(0), 1);  // off: plain query()
  });
}

// ---- MariaDB (the fixture): the server's own counters -------------------------------------

std::int64_t session_status(fibersql::db::database& db, const char* name) {
  const fibersql::result r = db.execute(std::string("SHOW SESSION STATUS LIKE '") + name + "'");
  return std::stoll(r.rows.at(0).get<std::string>(1));  // SHOW STATUS answers text
}

class OrmMariadbPreparedCache : public ::testing::Test {
 protected:
  void SetUp() override { FIBERSQL_REQUIRE_MYSQL(); }
  void in_db(const std::function<void(fibersql::db::database&)>& body) {
    fibersql::run([&] {
      fibersql::db::database db{fibersql::testing::test_mysql_url()};
      orm::drop_tables(db, users, tweets);
      orm::create_tables(db, users);
      body(db);
      orm::drop_tables(db, users);
    });
  }
};

TEST_F(OrmMariadbPreparedCache, OnePreparePerShapePerConnection) {
  in_db([](fibersql::db::database& db) {
    user ann{.username = "ann", .email = std::nullopt};
    orm::insert(db, ann);
    const std::int64_t prepared0 = session_status(db, "Com_stmt_prepare");
    const std::int64_t executed0 = session_status(db, "Com_stmt_execute");
    for (int i = 0; i < 100; ++i) EXPECT_EQ(orm::get_by_id(db, users, ann.id).username, "ann");
    EXPECT_EQ(session_status(db, "Com_stmt_prepare") - prepared0, 1);
    EXPECT_EQ(session_status(db, "Com_stmt_execute") - executed0, 100);

    // reset() (the pool's, between borrowers) frees the server's statements; the cache goes
    // with them, and the next use prepares again instead of failing.
    db.connection().reset();
    const std::int64_t prepared1 = session_status(db, "Com_stmt_prepare");
    EXPECT_EQ(orm::get_by_id(db, users, ann.id).username, "ann");
    EXPECT_EQ(orm::get_by_id(db, users, ann.id).username, "ann");
    EXPECT_EQ(session_status(db, "Com_stmt_prepare") - prepared1, 1);
  });
}

TEST_F(OrmMariadbPreparedCache, AFailedExecutionIsNotRunAgain) {
  in_db([](fibersql::db::database& db) {
    user ann{.username = "ann", .email = std::nullopt};
    orm::insert(db, ann);
    const std::int64_t executed0 = session_status(db, "Com_stmt_execute");
    user twin{.username = "ann", .email = std::nullopt};
    EXPECT_THROW(orm::insert(db, twin), fibersql::integrity_error);  // the cached INSERT's shape
    EXPECT_EQ(session_status(db, "Com_stmt_execute") - executed0, 1);
    EXPECT_EQ(orm::select(users).count(db), 1);
  });
}

TEST_F(OrmMariadbPreparedCache, SchemaChangeUnderACachedStatement) {
  in_db([](fibersql::db::database& db) {
    user ann{.username = "ann", .email = std::nullopt};
    orm::insert(db, ann);
    EXPECT_EQ(orm::get_by_id(db, users, ann.id).username, "ann");
    // The server re-prepares by itself after ALTER (or answers 1615, which the cache handles
    // by preparing once more): either way the cached shape keeps working.
    db.execute("ALTER TABLE users ADD COLUMN extra INT NULL");
    EXPECT_EQ(orm::get_by_id(db, users, ann.id).username, "ann");
    EXPECT_EQ(orm::select(users.username).where(users.id == ann.id).scalar(db), "ann");
  });
}

}  // namespace
