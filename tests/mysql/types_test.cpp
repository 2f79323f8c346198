// Values both ways, text and prepared: every column type, NULLs, utf8mb4, a 16 MiB BLOB,
// hostile strings, transactions and multiple results.
#include <gtest/gtest.h>

#include <fibersql/mysql/connection.hpp>
#include <fibersql/runtime/runtime.hpp>

#include "support/test_env.hpp"

namespace fibersql {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;
using testing::run_monitored;
using testing::test_mysql_url;

constexpr const char* create_all_types = R"(
  CREATE TEMPORARY TABLE all_types (
    id INT AUTO_INCREMENT PRIMARY KEY,
    ti TINYINT, si SMALLINT, mi MEDIUMINT, i INT, bi BIGINT, ubi BIGINT UNSIGNED,
    f DOUBLE, d DECIMAL(20,6), bo BOOLEAN,
    vc VARCHAR(200), tx LONGTEXT, vb VARBINARY(200), bl LONGBLOB,
    dt DATE, dtm DATETIME(6), ts TIMESTAMP(6) NULL, tm TIME(6), yr YEAR, bt BIT(12), js JSON
  ) CHARACTER SET utf8mb4)";

constexpr const char* insert_all =
    "INSERT INTO all_types (ti, si, mi, i, bi, ubi, f, d, bo, vc, tx, vb, bl, dt, dtm, ts, tm, yr) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

std::vector<value> sample_values() {
  const datetime when = sys_days(2024y / 2 / 29) + 23h + 59min + 58s + 123456us;
  return {value(std::int64_t{-128}),
          value(std::int64_t{-32768}),
          value(std::int64_t{8388607}),
          value(std::int64_t{-2147483648LL}),
          value(std::int64_t{INT64_MIN}),
          value(std::uint64_t{UINT64_MAX}),
          value(3.141592653589793),
          value(std::string("12345678901234.123456")),
          value(true),
          value(std::string("héllo wörld 🎉 ✓")),
          value(std::string("line1\nline2\ttab")),
          value(bytes{std::string("\x00\x01\xff\xfe'\"\\", 7)}),
          value(bytes{std::string(1000, '\x80')}),
          value(date(1999y / 12 / 31)),
          value(when),
          value(datetime(sys_days(2030y / 1 / 1) + 1us)),
          value(time_of_day(-(838h + 59min + 59s))),
          value(std::int64_t{2155})};
}

void check_sample_row(const row& r) {
  EXPECT_EQ(r.get<std::int64_t>("ti"), -128);
  EXPECT_EQ(r.get<std::int64_t>("si"), -32768);
  EXPECT_EQ(r.get<std::int64_t>("mi"), 8388607);
  EXPECT_EQ(r.get<std::int64_t>("i"), -2147483648LL);
  EXPECT_EQ(r.get<std::int64_t>("bi"), INT64_MIN);
  EXPECT_EQ(r.get<std::uint64_t>("ubi"), UINT64_MAX);
  EXPECT_DOUBLE_EQ(r.get<double>("f"), 3.141592653589793);
  EXPECT_EQ(r.get<std::string>("d"), "12345678901234.123456");
  EXPECT_EQ(r.get<bool>("bo"), true);
  EXPECT_EQ(r.get<std::string>("vc"), "héllo wörld 🎉 ✓");
  EXPECT_EQ(r.get<std::string>("tx"), "line1\nline2\ttab");
  EXPECT_EQ(r.get<bytes>("vb").data, std::string("\x00\x01\xff\xfe'\"\\", 7));
  EXPECT_EQ(r.get<bytes>("bl").data, std::string(1000, '\x80'));
  EXPECT_EQ(r.get<date>("dt"), date(1999y / 12 / 31));
  EXPECT_EQ(r.get<datetime>("dtm"), sys_days(2024y / 2 / 29) + 23h + 59min + 58s + 123456us);
  EXPECT_EQ(r.get<datetime>("ts"), datetime(sys_days(2030y / 1 / 1) + 1us));
  EXPECT_EQ(r.get<time_of_day>("tm"), -(838h + 59min + 59s));
  EXPECT_EQ(r.get<std::int64_t>("yr"), 2155);
}

TEST(mysql_types, every_column_type_round_trips_text_and_prepared) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    auto conn = mysql::connection::open(test_mysql_url());
    conn->query("SET time_zone = '+00:00'");
    conn->query(create_all_types);
    const auto values = sample_values();
    const result ins = conn->query(insert_all, values);
    EXPECT_EQ(ins.affected_rows, 1u);
    EXPECT_EQ(ins.insert_id, 1u);
    auto stmt = conn->prepare(insert_all);
    EXPECT_EQ(stmt.param_count(), values.size());
    EXPECT_EQ(stmt.execute(values).insert_id, 2u);
    const result text = conn->query("SELECT * FROM all_types ORDER BY id");
    ASSERT_EQ(text.rows.size(), 2u);
    for (const row& r : text.rows) check_sample_row(r);
    auto select = conn->prepare("SELECT * FROM all_types WHERE id = ?");
    for (std::int64_t id : {1, 2}) {
      const result bin = select.execute({value(id)});
      ASSERT_EQ(bin.rows.size(), 1u);
      check_sample_row(bin.rows[0]);
    }
  });
}

TEST(mysql_types, nulls_map_to_optional) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    auto conn = mysql::connection::open(test_mysql_url());
    conn->query(create_all_types);
    std::vector<value> nulls(18, value(null));
    conn->query(insert_all, nulls);
    conn->prepare(insert_all).execute(nulls);
    const result text = conn->query("SELECT * FROM all_types");
    const result bin = conn->prepare("SELECT * FROM all_types").execute();
    for (const result* r : {&text, &bin}) {
      ASSERT_EQ(r->rows.size(), 2u);
      for (const row& row : r->rows) {
        for (std::size_t c = 1; c < row.size(); ++c) EXPECT_TRUE(row.is_null(c)) << "column " << c;
        EXPECT_EQ(row.get<std::optional<std::string>>("vc"), std::nullopt);
        EXPECT_THROW(row.get<std::int64_t>("i"), data_error);
      }
    }
    EXPECT_TRUE(conn->query("SELECT NULL").rows.at(0).is_null(0));
  });
}

TEST(mysql_types, hostile_strings_are_escaped_never_pasted) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    auto conn = mysql::connection::open(test_mysql_url());
    conn->query("CREATE TEMPORARY TABLE t (id INT PRIMARY KEY, s LONGTEXT, b LONGBLOB) CHARACTER SET utf8mb4");
    const std::vector<std::string> hostile = {
        "'",         "\"",         "\\",      "\\'",  "''",   "'; DROP TABLE t; --", std::string("nul\0byte", 8),
        "? ? ?",     "-- comment", "/* c */", "\x1a", "\r\n", "𝄞 utf8mb4 😀",         "%_",
        "`backtick`"};
    int id = 0;
    for (const std::string& s : hostile) {
      conn->query("INSERT INTO t VALUES (?, ?, ?)", {value(std::int64_t{++id}), value(s), value(bytes{s})});
    }
    const result r = conn->query("SELECT s, b FROM t WHERE id > ? ORDER BY id", {value(std::int64_t{0})});
    ASSERT_EQ(r.rows.size(), hostile.size());
    for (std::size_t i = 0; i < hostile.size(); ++i) {
      EXPECT_EQ(r.rows[i].get<std::string>(0), hostile[i]);
      EXPECT_EQ(r.rows[i].get<bytes>(1).data, hostile[i]);
    }
    // A '?' inside a literal or comment is not a placeholder.
    const result lit = conn->query("SELECT '?', ? /* ? */ -- ?\n", {value(std::string("x"))});
    EXPECT_EQ(lit.rows.at(0).get<std::string>(0), "?");
    EXPECT_EQ(lit.rows.at(0).get<std::string>(1), "x");
    EXPECT_THROW(conn->query("SELECT ?, ?", {value(std::int64_t{1})}), programming_error);
    EXPECT_THROW(conn->query("SELECT 1", {value(std::int64_t{1})}), programming_error);
    // Text that would need escaping goes as hex, which no charset or sql_mode reads otherwise.
    EXPECT_EQ(conn->quote("its"), "'its'");
    EXPECT_EQ(conn->quote("it's"), "_utf8mb4 X'69742773'");
    EXPECT_FALSE(conn->is_broken());
  });
}

TEST(mysql_types, sixteen_mib_blob_round_trips) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored(
      [] {
        auto conn = mysql::connection::open(test_mysql_url());
        conn->query("CREATE TEMPORARY TABLE big (id INT PRIMARY KEY, b LONGBLOB)");
        std::string blob(16 * 1024 * 1024, '\0');
        for (std::size_t i = 0; i < blob.size(); ++i) blob[i] = static_cast<char>((i * 131) ^ (i >> 9));
        this_fiber::yield();  // the test's own CPU work is not the library's to answer for
        conn->query("INSERT INTO big VALUES (1, ?)", {value(bytes{blob})});
        conn->prepare("INSERT INTO big VALUES (2, ?)").execute({value(bytes{blob})});
        const result text = conn->query("SELECT b FROM big ORDER BY id");
        ASSERT_EQ(text.rows.size(), 2u);
        EXPECT_TRUE(text.rows[0].get<bytes>(0).data == blob);
        EXPECT_TRUE(text.rows[1].get<bytes>(0).data == blob);
        const result bin = conn->prepare("SELECT b FROM big WHERE id = 2").execute();
        EXPECT_TRUE(bin.rows.at(0).get<bytes>(0).data == blob);
      },
      // Moving 16 MiB through the socket and several copies is CPU work (~130 ms per step in a
      // Debug build, more under a parallel ctest) rather than a blocking call; the watchdog
      // still catches any real blocking call at this bound.
      std::chrono::seconds(2));
}

TEST(mysql_types, errors_are_classified_and_keep_the_connection) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    auto conn = mysql::connection::open(test_mysql_url());
    conn->query("CREATE TEMPORARY TABLE u (id INT PRIMARY KEY, n TINYINT NOT NULL)");
    conn->query("SET sql_mode = 'STRICT_ALL_TABLES'");
    conn->query("INSERT INTO u VALUES (1, 1)");
    try {
      conn->query("INSERT INTO u VALUES (1, 2)");
      ADD_FAILURE();
    } catch (const integrity_error& e) {
      EXPECT_EQ(e.code(), 1062u);
      EXPECT_EQ(e.sqlstate(), "23000");
      EXPECT_FALSE(e.poisons_connection());
    }
    EXPECT_THROW(conn->query("SELEC 1"), programming_error);
    EXPECT_THROW(conn->query("SELECT * FROM no_such_table"), programming_error);
    EXPECT_THROW(conn->query("INSERT INTO u VALUES (2, 1000)"), data_error);
    EXPECT_THROW(conn->prepare("SELECT nope FROM u"), programming_error);
    EXPECT_FALSE(conn->is_broken());
    EXPECT_EQ(conn->query("SELECT COUNT(*) FROM u").rows.at(0).get<int>(0), 1);
  });
}

TEST(mysql_types, transactions_and_multiple_results) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    auto o = mysql::parse_url(test_mysql_url());
    o.multi_statements = true;
    auto conn = mysql::connection::open(o);
    conn->query("CREATE TEMPORARY TABLE tx (id INT PRIMARY KEY) ENGINE=InnoDB");
    conn->begin();
    EXPECT_TRUE(conn->in_transaction());
    conn->query("INSERT INTO tx VALUES (1)");
    conn->rollback();
    EXPECT_FALSE(conn->in_transaction());
    conn->set_autocommit(false);
    conn->query("INSERT INTO tx VALUES (2)");
    conn->commit();
    conn->set_autocommit(true);
    EXPECT_EQ(conn->query("SELECT COUNT(*), MAX(id) FROM tx").rows.at(0).get<int>(1), 2);
    const auto all = conn->query_all("SELECT 1 AS a; SELECT 2 AS b, 3 AS c; DO 0");
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].rows.at(0).get<int>("a"), 1);
    EXPECT_EQ(all[1].rows.at(0).get<int>("c"), 3);
    EXPECT_TRUE(all[2].rows.empty());
    // query() keeps the first result and drains the rest, so the session stays in step.
    EXPECT_EQ(conn->query("SELECT 5; SELECT 6").rows.at(0).get<int>(0), 5);
    EXPECT_EQ(conn->query("SELECT 7").rows.at(0).get<int>(0), 7);
  });
}

}  // namespace
}  // namespace fibersql
