// Errors that say what happened: a read timeout, a dead server and a session killed by an
// administrator all arrive as MySQL 2013/2006; the DB-API class and errno stay, and reason()
// tells them apart. A connection lost during COMMIT raises commit_outcome_unknown.
#include <gtest/gtest.h>

#include <memory>
#include <optional>

#include <fibersql/db/database.hpp>
#include <fibersql/mysql/connection.hpp>
#include <fibersql/runtime/runtime.hpp>
#include <fibersql/sql/errors.hpp>

#include "support/admin.hpp"
#include "support/fault_proxy.hpp"
#include "support/test_env.hpp"

namespace fibersql {
namespace {

using namespace std::chrono_literals;
using testing::fault;

bool lost_connection_code(unsigned code) {
  return code == 2013 || code == 2006 || code == 2055;
}

// Runs `op`, expecting an operational_error (poisoning), and returns it.
template <class Op>
std::optional<operational_error> expect_operational(Op&& op) {
  try {
    op();
  } catch (const operational_error& e) {
    EXPECT_TRUE(e.poisons_connection()) << e.what();
    return e;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected operational_error, got: " << e.what();
    return std::nullopt;
  }
  ADD_FAILURE() << "expected operational_error, nothing was thrown";
  return std::nullopt;
}

mysql::connect_options through(const testing::fault_proxy& proxy) {
  auto o = mysql::parse_url(testing::test_mysql_url());
  o.host = "127.0.0.1";
  o.unix_socket.clear();
  o.port = proxy.port();
  o.connect_timeout = 2s;
  o.read_timeout = 2s;
  o.write_timeout = 2s;
  return o;
}

bool skip_without_tcp() {
  return !mysql::parse_url(testing::test_mysql_url()).unix_socket.empty();
}

TEST(error_reason, read_timeout_is_timeout) {
  FIBERSQL_REQUIRE_MYSQL();
  run([] {
    auto o = mysql::parse_url(testing::test_mysql_url());
    o.read_timeout = 1s;
    auto conn = mysql::connection::open(o);
    const auto e = expect_operational([&] { conn->query("SELECT SLEEP(3)"); });
    ASSERT_TRUE(e);
    EXPECT_TRUE(lost_connection_code(e->code())) << e->what();
    EXPECT_EQ(e->reason(), error_reason::timeout) << to_string(e->reason()) << ": " << e->what();
  });
}

TEST(error_reason, dead_server_is_connection_lost) {
  FIBERSQL_REQUIRE_MYSQL();
  if (skip_without_tcp()) GTEST_SKIP() << "the server URL is a unix socket";
  run([] {
    const auto target = mysql::parse_url(testing::test_mysql_url());
    testing::fault_proxy proxy(target.host, target.port);
    auto conn = mysql::connection::open(through(proxy));
    conn->query("SELECT 1");
    proxy.stop();  // every link cut: to the client, the server is gone
    const auto e = expect_operational([&] { conn->query("SELECT 1"); });
    ASSERT_TRUE(e);
    EXPECT_TRUE(lost_connection_code(e->code())) << e->what();
    EXPECT_EQ(e->reason(), error_reason::connection_lost) << to_string(e->reason()) << ": " << e->what();
  });
}

TEST(error_reason, session_killed_by_an_administrator_is_killed_by_server) {
  FIBERSQL_REQUIRE_MYSQL();
  run([] {
    testing::admin admin;
    auto conn = mysql::connection::open(testing::test_mysql_url());
    const std::uint64_t id = conn->server_thread_id();
    fiber killer = spawn([&] {
      this_fiber::sleep_for(200ms);
      admin.kill_connection(id);
    });
    const auto e = expect_operational([&] { conn->query("SELECT SLEEP(5)"); });
    killer.join();
    ASSERT_TRUE(e);
    EXPECT_TRUE(lost_connection_code(e->code())) << e->what();
    EXPECT_EQ(e->reason(), error_reason::killed_by_server) << to_string(e->reason()) << ": " << e->what();
    // Killed while idle: the next statement finds out.
    auto idle = mysql::connection::open(testing::test_mysql_url());
    admin.kill_connection(idle->server_thread_id());
    ASSERT_TRUE(admin.wait_session_gone(idle->server_thread_id(), 5s));
    const auto later = expect_operational([&] { idle->query("SELECT 1"); });
    ASSERT_TRUE(later);
    EXPECT_EQ(later->reason(), error_reason::killed_by_server) << to_string(later->reason()) << ": " << later->what();
  });
}

TEST(error_reason, connection_cancelled_by_a_timeout_scope_or_kill_is_cancelled) {
  FIBERSQL_REQUIRE_MYSQL();
  run([] {
    auto conn = mysql::connection::open(testing::test_mysql_url());
    {
      timeout limit(100ms);
      EXPECT_THROW(conn->query("SELECT SLEEP(5)"), timeout_error);
    }
    EXPECT_TRUE(conn->is_broken());
    try {
      conn->query("SELECT 1");
      ADD_FAILURE() << "a cancelled connection was used again";
    } catch (const interface_error& e) {
      EXPECT_EQ(e.reason(), error_reason::cancelled) << e.what();
    }
    auto victim = mysql::connection::open(testing::test_mysql_url());
    fiber f = spawn([&] { victim->query("SELECT SLEEP(5)"); });
    this_fiber::sleep_for(100ms);
    f.kill();
    f.join();
    try {
      victim->query("SELECT 1");
      ADD_FAILURE() << "a cancelled connection was used again";
    } catch (const interface_error& e) {
      EXPECT_EQ(e.reason(), error_reason::cancelled) << e.what();
    }
  });
}

TEST(error_reason, server_answered_errors_have_no_reason) {
  FIBERSQL_REQUIRE_MYSQL();
  run([] {
    auto conn = mysql::connection::open(testing::test_mysql_url());
    try {
      conn->query("SELEKT 1");
      ADD_FAILURE() << "no error";
    } catch (const programming_error& e) {
      EXPECT_EQ(e.code(), 1064u);
      EXPECT_EQ(e.reason(), error_reason::none);
    }
  });
}

// The bytes a clean conversation sends up to (not including) its COMMIT, measured through
// the proxy; the COMMIT packet itself is 4 header bytes + COM_QUERY + "COMMIT".
constexpr std::size_t commit_packet_bytes = 4 + 1 + 6;

template <class Conversation>
std::size_t bytes_before_commit(testing::fault_proxy& proxy, Conversation&& before_commit) {
  proxy.set({.mode = fault::none});
  const std::size_t start = proxy.bytes_forwarded();
  std::size_t at_commit = 0;
  before_commit([&] { at_commit = proxy.bytes_forwarded() - start; });
  return at_commit;
}

TEST(commit_outcome_unknown, connection_cut_right_after_the_commit_packet) {
  FIBERSQL_REQUIRE_MYSQL();
  if (skip_without_tcp()) GTEST_SKIP() << "the server URL is a unix socket";
  run([] {
    auto setup = mysql::connection::open(testing::test_mysql_url());
    setup->query("DROP TABLE IF EXISTS reason_commit_t");
    setup->query("CREATE TABLE reason_commit_t (x INT) ENGINE=InnoDB");
    const auto target = mysql::parse_url(testing::test_mysql_url());
    testing::fault_proxy proxy(target.host, target.port);
    const auto o = through(proxy);
    auto conversation = [&](const std::function<void()>& before_commit) {
      auto c = mysql::connection::open(o);
      c->begin();
      c->query("INSERT INTO reason_commit_t VALUES (1)");
      before_commit();
      c->commit();
    };
    const std::size_t before = bytes_before_commit(proxy, conversation);
    ASSERT_GT(before, 0u);
    setup->query("DELETE FROM reason_commit_t");
    proxy.set({.mode = fault::cut, .cut_after = before + commit_packet_bytes});
    try {
      conversation([] {});
      ADD_FAILURE() << "COMMIT succeeded although the connection was cut after it was sent";
    } catch (const commit_outcome_unknown& e) {
      EXPECT_TRUE(lost_connection_code(e.code())) << e.what();
      EXPECT_EQ(e.reason(), error_reason::connection_lost) << e.what();
      EXPECT_NE(std::string(e.what()).find("unknown"), std::string::npos) << e.what();
    } catch (const std::exception& e) {
      ADD_FAILURE() << "expected commit_outcome_unknown, got: " << e.what();
    }
    // What the server did is exactly what the client cannot know; shown, not asserted.
    const auto n = setup->query("SELECT COUNT(*) FROM reason_commit_t").rows.at(0).get<int>(0);
    std::printf("[ note ] the server %s the cut transaction\n", n == 1 ? "committed" : "did not commit");
    setup->query("DROP TABLE reason_commit_t");
  });
}

// Through db::database's atomic(): the same error reaches the caller, never a plain one.
TEST(commit_outcome_unknown, reaches_the_caller_of_atomic) {
  FIBERSQL_REQUIRE_MYSQL();
  if (skip_without_tcp()) GTEST_SKIP() << "the server URL is a unix socket";
  run([] {
    auto setup = mysql::connection::open(testing::test_mysql_url());
    setup->query("DROP TABLE IF EXISTS reason_atomic_t");
    setup->query("CREATE TABLE reason_atomic_t (x INT) ENGINE=InnoDB");
    const auto target = mysql::parse_url(testing::test_mysql_url());
    testing::fault_proxy proxy(target.host, target.port);
    const auto o = through(proxy);
    const std::string url = "mysql://" + o.user + ":" + o.password + "@127.0.0.1:" + std::to_string(proxy.port()) +
                            "/" + o.database + "?read_timeout=2";
    auto conversation = [&](const std::function<void()>& before_commit) {
      db::database db{url};
      db.execute("SELECT 1");  // connect outside the measured part's variation
      db.atomic([&] {
        db.execute("INSERT INTO reason_atomic_t VALUES (1)");
        before_commit();
      });
    };
    const std::size_t before = bytes_before_commit(proxy, conversation);
    setup->query("DELETE FROM reason_atomic_t");
    proxy.set({.mode = fault::cut, .cut_after = before + commit_packet_bytes});
    EXPECT_THROW(conversation([] {}), commit_outcome_unknown);
    setup->query("DROP TABLE reason_atomic_t");
  });
}

}  // namespace
}  // namespace fibersql
