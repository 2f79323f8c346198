// Every value type goes into SQLite as a bound parameter and comes back unchanged.
#include <fibersql/sql/errors.hpp>
#include <fibersql/sqlite/connection.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace fibersql {
namespace {

using namespace std::chrono;
using namespace std::string_literals;

class sqlite_types : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.query(
        "CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, d DATE, dt DATETIME, ts TIMESTAMP,"
        " tm TIME, flag BOOLEAN, any_)");
  }
  // Stores v in column `col` of a fresh row and reads it back.
  value round_trip(const std::string& col, const value& v) {
    db_.query("DELETE FROM t");
    db_.query("INSERT INTO t (" + col + ") VALUES (?)", {v});
    const result r = db_.query("SELECT " + col + " FROM t");
    EXPECT_EQ(r.rows.size(), 1u);
    return r.rows.at(0).at(0);
  }
  sqlite::connection db_{":memory:"};
};

TEST_F(sqlite_types, scalars_round_trip) {
  for (std::int64_t n : {std::int64_t{0}, std::int64_t{-1}, std::numeric_limits<std::int64_t>::min(),
                         std::numeric_limits<std::int64_t>::max()})
    EXPECT_EQ(round_trip("i", n), value{n});
  EXPECT_EQ(round_trip("i", std::uint64_t{42}), value{std::int64_t{42}});
  EXPECT_EQ(round_trip("i", std::uint64_t{9223372036854775807ULL}), value{std::int64_t{9223372036854775807LL}});
  EXPECT_EQ(round_trip("r", 0.1), value{0.1});
  EXPECT_EQ(round_trip("r", -1e308), value{-1e308});
  EXPECT_EQ(round_trip("r", std::numeric_limits<double>::infinity()), value{std::numeric_limits<double>::infinity()});
  EXPECT_EQ(round_trip("flag", true), value{true});
  EXPECT_EQ(round_trip("flag", false), value{false});
  EXPECT_EQ(round_trip("flag", std::int64_t{7}), value{std::int64_t{7}}) << "kept, not squashed";
  EXPECT_EQ(round_trip("any_", true), value{std::int64_t{1}}) << "undeclared: stored class wins";
}

TEST_F(sqlite_types, dates_round_trip_through_iso_text) {
  const date d = 2024y / February / 29;
  const datetime t = sys_days{d} + 23h + 59min + 59s + 999999us;
  const datetime old = sys_days{1900y / January / 1} + 12h;
  EXPECT_EQ(round_trip("d", d), value{d});
  EXPECT_EQ(round_trip("dt", t), value{t});
  EXPECT_EQ(round_trip("ts", old), value{old});
  EXPECT_EQ(round_trip("tm", time_of_day{-(838h + 59min + 59s)}), value{time_of_day{-(838h + 59min + 59s)}});
  // Stored as text that SQLite's own date functions understand.
  db_.query("DELETE FROM t");
  db_.query("INSERT INTO t (dt) VALUES (?)", {t});
  const result r = db_.query(
      "SELECT typeof(dt), dt = '2024-02-29 23:59:59.999999', "
      "date(dt) FROM t");
  EXPECT_EQ(r.rows[0].get<std::string>(0), "text");
  EXPECT_TRUE(r.rows[0].get<bool>(1));
  EXPECT_EQ(r.rows[0].get<date>(2), d) << "an expression column reads as date from ISO text";
  // Text in a date column that does not parse stays text rather than failing the query.
  EXPECT_EQ(round_trip("d", "someday"s), value{"someday"s});
  EXPECT_EQ(round_trip("dt", "2024-02-29 10:00:00"s), value{datetime{sys_days{d} + 10h}});
}

TEST_F(sqlite_types, nulls_of_every_column_read_as_null) {
  db_.query("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {null, null, null, null, null, null, null, null, null, null});
  const result r = db_.query("SELECT * FROM t");
  ASSERT_EQ(r.rows.size(), 1u);
  for (std::size_t i = 0; i < r.rows[0].size(); ++i) {
    EXPECT_TRUE(r.rows[0].is_null(i)) << r.columns->at(i);
    EXPECT_EQ(r.rows[0].get<std::optional<std::int64_t>>(i), std::nullopt);
  }
  EXPECT_THROW((void)r.rows[0].get<std::int64_t>("i"), data_error);
}

TEST_F(sqlite_types, text_and_bytes_come_back_byte_for_byte) {
  const std::vector<std::string> hostile = {
      "",
      "héllo wörld — 日本語 🎉",
      "it's \"quoted\"",
      "back\\slash\\\\ and \\' escape",
      "'; DROP TABLE t; --",
      "\" OR 1=1 --",
      "nul\0inside\0"s,
      std::string("\0", 1),
      "\r\n\t\x1a\x7f",
      "\xff\xfe not utf-8 \xc3",
      "?, ?, ?",
  };
  for (const auto& s : hostile) {
    EXPECT_EQ(round_trip("s", s), value{s});
    EXPECT_EQ(round_trip("b", bytes{s}), value{bytes{s}});
  }
  EXPECT_EQ(db_.query("SELECT count(*) FROM sqlite_master WHERE name = 't'").rows[0].get<int>(0), 1);
  // The parameter really is compared as a value, never spliced into SQL.
  db_.query("DELETE FROM t");
  db_.query("INSERT INTO t (s) VALUES ('x')");
  EXPECT_TRUE(db_.query("SELECT s FROM t WHERE s = ?", {"x' OR '1'='1"s}).rows.empty());
}

TEST_F(sqlite_types, a_16_mib_blob_round_trips) {
  std::string big(16u << 20, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>((i * 2654435761u) >> 13);
  db_.query("INSERT INTO t (b) VALUES (?)", {bytes{big}});
  const result r = db_.query("SELECT b, length(b) FROM t");
  EXPECT_EQ(r.rows[0].get<std::int64_t>(1), 16 << 20);
  EXPECT_TRUE(r.rows[0].get<bytes>(0) == bytes{big});
}

TEST_F(sqlite_types, values_sqlite_cannot_hold_are_refused_with_the_value_named) {
  try {
    db_.query("INSERT INTO t (i) VALUES (?)", {std::numeric_limits<std::uint64_t>::max()});
    FAIL();
  } catch (const data_error& e) {
    EXPECT_STREQ(e.what(),
                 "parameter 1 of 1 is uint64 18446744073709551615, above SQLite's INTEGER "
                 "maximum 9223372036854775807");
    EXPECT_EQ(e.sqlstate(), "22003");
  }
  try {
    db_.query("INSERT INTO t (i, r) VALUES (?, ?)", {std::int64_t{1}, std::nan("")});
    FAIL();
  } catch (const data_error& e) {
    EXPECT_STREQ(e.what(), "parameter 2 of 2 is NaN, which SQLite cannot store");
  }
  try {
    db_.query("INSERT INTO t (d) VALUES (?)", {date{10000y / January / 1}});
    FAIL();
  } catch (const data_error& e) {
    EXPECT_STREQ(e.what(), "parameter 1 of 1: date with year 10000 month 1 day 1 has no ISO-8601 text form");
  }
  EXPECT_TRUE(db_.query("SELECT * FROM t").rows.empty()) << "nothing half-inserted";
}

TEST_F(sqlite_types, counters_report_this_statement_only) {
  result r = db_.query("INSERT INTO t (i) VALUES (1), (2), (3)");
  EXPECT_EQ(r.affected_rows, 3u);
  EXPECT_EQ(r.insert_id, 3u);
  r = db_.query("SELECT * FROM t");
  EXPECT_EQ(r.affected_rows, 0u);
  EXPECT_EQ(r.insert_id, 0u);
  EXPECT_EQ(db_.query("SELECT last_insert_rowid()").rows[0].get<int>(0), 3)
      << "SQL's own last_insert_rowid() still sees the INSERT";
  r = db_.query("UPDATE t SET i = i + 1 WHERE i >= 2");
  EXPECT_EQ(r.affected_rows, 2u);
  EXPECT_EQ(r.insert_id, 0u);
  r = db_.query("CREATE TABLE u (x)");
  EXPECT_EQ(r.affected_rows, 0u);
  r = db_.query("DELETE FROM t");
  EXPECT_EQ(r.affected_rows, 3u);
  r = db_.query("INSERT INTO t (i) VALUES (9) RETURNING rowid, i");
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].get<int>("i"), 9);
  EXPECT_EQ(r.insert_id, r.rows[0].get<std::uint64_t>(0));
  EXPECT_EQ(*r.columns, (column_names{"rowid", "i"}));

  // A rowid reused after a DELETE is still reported; an ignored INSERT reports none.
  db_.query("CREATE TABLE k (id INTEGER PRIMARY KEY, v UNIQUE)");
  EXPECT_EQ(db_.query("/* c */ insert INTO k (v) VALUES (1)").insert_id, 1u);
  db_.query("DELETE FROM k");
  EXPECT_EQ(db_.query("INSERT INTO k (v) VALUES (1)").insert_id, 1u);
  r = db_.query("INSERT OR IGNORE INTO k (v) VALUES (1)");
  EXPECT_EQ(r.affected_rows, 0u);
  EXPECT_EQ(r.insert_id, 0u);
  r = db_.query("REPLACE INTO k (id, v) VALUES (7, 1)");
  EXPECT_EQ(r.insert_id, 7u);
  EXPECT_EQ(db_.query("WITH x(n) AS (VALUES (5)) INSERT INTO k (v) SELECT n FROM x").insert_id, 8u);
}

}  // namespace
}  // namespace fibersql
