// One behaviour for both protocols (issue 10): zero and partial DATETIMEs read the same
// through the text protocol and prepared statements, and dates and times MySQL cannot
// store are refused by both.
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

TEST(mysql_values_server, zero_datetimes_read_alike_in_both_protocols) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    auto conn = mysql::connection::open(test_mysql_url());
    conn->query("SET SESSION sql_mode = ''");  // allow zero and partial dates
    conn->query("CREATE TEMPORARY TABLE zero_dates (id INT PRIMARY KEY, d0 DATETIME, d6 DATETIME(6), d DATE)");
    conn->query(
        "INSERT INTO zero_dates VALUES (1, '0000-00-00 10:11:12', '0000-00-00 10:11:12.000005', '0000-00-00'), "
        "(2, '2024-00-00 01:02:03', '2024-05-00 23:59:59.5', '2024-00-01')");
    const char* select = "SELECT d0, d6, d FROM zero_dates ORDER BY id";
    const result text = conn->query(select);
    auto stmt = conn->prepare(select);
    const result binary = stmt.execute();
    ASSERT_EQ(text.rows.size(), 2u);
    ASSERT_EQ(binary.rows.size(), 2u);
    for (std::size_t r = 0; r < 2; ++r) {
      for (std::size_t c = 0; c < 3; ++c) {
        EXPECT_EQ(text.rows[r].get<std::string>(c), binary.rows[r].get<std::string>(c)) << "row " << r << " col " << c;
      }
    }
    EXPECT_EQ(binary.rows[0].get<std::string>(0), "0000-00-00 10:11:12");
    EXPECT_EQ(binary.rows[0].get<std::string>(1), "0000-00-00 10:11:12.000005");
  });
}

TEST(mysql_values_server, unstorable_parameters_are_refused_by_both_protocols) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    auto conn = mysql::connection::open(test_mysql_url());
    // Even a permissive session: the client refuses before the server could clip or zero.
    conn->query("SET SESSION sql_mode = ''");
    conn->query("CREATE TEMPORARY TABLE when_t (d DATE, dt DATETIME, t TIME)");
    const std::vector<std::pair<const char*, value>> cases = {
        {"INSERT INTO when_t (d) VALUES (?)", value(date(year(10000) / 1 / 1))},
        {"INSERT INTO when_t (d) VALUES (?)", value(date(year(-1) / 1 / 1))},
        {"INSERT INTO when_t (dt) VALUES (?)", value(datetime(sys_days(year(10000) / 1 / 1)))},
        {"INSERT INTO when_t (t) VALUES (?)", value(time_of_day(839h))},
        {"INSERT INTO when_t (t) VALUES (?)", value(time_of_day(-(839h)))},
    };
    for (const auto& [sql, v] : cases) {
      EXPECT_THROW(conn->query(sql, {v}), data_error);
      auto stmt = conn->prepare(sql);
      EXPECT_THROW(stmt.execute({v}), data_error);
    }
    EXPECT_EQ(conn->query("SELECT COUNT(*) FROM when_t").rows.at(0).get<std::int64_t>(0), 0);
  });
}

}  // namespace
}  // namespace fibersql
