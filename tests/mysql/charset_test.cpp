// Untrusted parameters against the session's real charset and sql_mode (issue 10): a value
// never leaves its literal whatever the server's tracking settings or SET NAMES say, and the
// placeholder scanner reads SQL the way the server does (NO_BACKSLASH_ESCAPES, ANSI_QUOTES,
// sjis text).
#include <gtest/gtest.h>

#include <fibersql/mysql/connection.hpp>
#include <fibersql/runtime/runtime.hpp>

#include "support/test_env.hpp"

namespace fibersql {
namespace {

using testing::run_monitored;
using testing::test_mysql_url;

// 0xbf 0x27: escaped as a single-byte charset would, the backslash before the quote becomes
// the second byte of a gbk character and the quote ends the literal.
const std::string gbk_attack = "\xbf' OR 1=1 -- ";

std::int64_t matching_rows(mysql::connection& conn, const std::string& param) {
  return conn.query("SELECT COUNT(*) FROM victims WHERE name = ?", {value(param)}).rows.at(0).get<std::int64_t>(0);
}

void make_victims(mysql::connection& conn) {
  conn.query("CREATE TEMPORARY TABLE victims (name VARCHAR(40)) CHARACTER SET gbk");
  conn.query("INSERT INTO victims VALUES ('alice'), ('bob'), ('carol')");
}

TEST(mysql_charset, gbk_set_names_without_tracking_cannot_inject) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    for (const char* names : {"gbk", "big5", "sjis", "cp932"}) {
      auto conn = mysql::connection::open(test_mysql_url());
      make_victims(*conn);
      // The server no longer reports charset changes, so the client cannot see SET NAMES.
      conn->query("SET SESSION session_track_system_variables = ''");
      conn->query(std::string("SET NAMES ") + names);
      for (const std::string& attack : {gbk_attack, std::string("\x81\\' OR 1=1 -- "), std::string("\xa1' OR 1=1 #")}) {
        try {
          EXPECT_EQ(matching_rows(*conn, attack), 0) << names << ": the parameter broke out of its literal";
        } catch (const database_error& e) {
          // Refusing the bytes (not valid in the charset) is fine; escaping the literal is not.
          EXPECT_EQ(std::string(e.what()).find("syntax"), std::string::npos) << names << ": " << e.what();
        }
        const std::string sql = "SELECT COUNT(*) FROM victims WHERE name = " + conn->quote(attack);
        try {
          EXPECT_EQ(conn->query(sql).rows.at(0).get<std::int64_t>(0), 0) << names << ": quote() broke out";
        } catch (const database_error& e) {
          EXPECT_EQ(std::string(e.what()).find("syntax"), std::string::npos) << names << ": " << e.what();
        }
      }
    }
  });
}

TEST(mysql_charset, tracked_gbk_text_round_trips) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    auto conn = mysql::connection::open(test_mysql_url());
    conn->query("SET NAMES gbk");
    const std::string han = "\xd6\xd0\xce\xc4 \xbf\x5c'\"\\";  // "中文", a 0x5c trail byte, quotes
    const result r = conn->query("SELECT ? AS v, HEX(?) AS h", {value(han), value(han)});
    EXPECT_EQ(r.rows.at(0).get<std::string>(0), han);
  });
}

std::string both(mysql::connection& conn, const char* sql) {
  const result r = conn.query(sql, {value(std::string("p"))});
  std::string out;
  for (std::size_t i = 0; i < r.rows.at(0).size(); ++i) out += r.rows[0].get<std::string>(i) + "|";
  return out;
}

TEST(mysql_charset, placeholder_scanner_follows_no_backslash_escapes) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    auto conn = mysql::connection::open(test_mysql_url());
    conn->query("SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES'");
    EXPECT_EQ(both(*conn, "SELECT 'a\\', ?, '?'"), "a\\|p|?|");
    EXPECT_EQ(both(*conn, "SELECT \"b\\\", ?"), "b\\|p|");
    // Values with quotes and backslashes stay values in this mode too.
    const std::string tricky = "x\\' OR 1=1 -- \"";
    EXPECT_EQ(conn->query("SELECT ?", {value(tricky)}).rows.at(0).get<std::string>(0), tricky);
  });
}

TEST(mysql_charset, placeholder_scanner_follows_ansi_quotes) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    auto conn = mysql::connection::open(test_mysql_url());
    conn->query("SET SESSION sql_mode = 'ANSI_QUOTES'");
    // "a\" is an identifier here (no escapes in identifiers): the '?' after it is a placeholder.
    const result r = conn->query("SELECT 1 AS \"a\\\", ? AS \"?\"", {value(std::string("p"))});
    EXPECT_EQ(r.rows.at(0).get<std::string>(1), "p");
    // And with tracking off, so the client must ask the server.
    auto blind = mysql::connection::open(test_mysql_url());
    blind->query("SET SESSION session_track_system_variables = ''");
    blind->query("SET SESSION sql_mode = 'ANSI_QUOTES,NO_BACKSLASH_ESCAPES'");
    EXPECT_EQ(blind->query("SELECT 1 AS \"a\\\", ?, 'c\\'", {value(std::string("p"))}).rows.at(0).get<std::string>(1),
              "p");
  });
}

TEST(mysql_charset, placeholder_scanner_reads_sjis_text) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    for (bool tracked : {true, false}) {
      auto conn = mysql::connection::open(test_mysql_url());
      if (!tracked) conn->query("SET SESSION session_track_system_variables = ''");
      conn->query("SET NAMES sjis");
      // 0x83 0x5c is one sjis character whose second byte is a backslash.
      const result r = conn->query("SELECT '\x83\x5c' AS k, ? AS p, '?' AS q", {value(std::string("p"))});
      EXPECT_EQ(r.rows.at(0).get<std::string>(0), "\x83\x5c") << "tracked " << tracked;
      EXPECT_EQ(r.rows.at(0).get<std::string>(1), "p");
      EXPECT_EQ(r.rows.at(0).get<std::string>(2), "?");
    }
  });
}

}  // namespace
}  // namespace fibersql
