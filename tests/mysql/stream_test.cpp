// Streaming: a million rows through mysql_use_result with bounded memory.
#include <gtest/gtest.h>

#include <fibersql/mysql/connection.hpp>
#include <fibersql/runtime/runtime.hpp>

#include "support/test_env.hpp"

namespace fibersql {
namespace {

using testing::run_monitored;
using testing::test_mysql_url;

TEST(mysql_stream, million_rows_with_bounded_memory) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    auto conn = mysql::connection::open(test_mysql_url());
    int ticks = 0;
    fiber ticker = spawn([&] {
      for (;;) {
        this_fiber::sleep_for(std::chrono::milliseconds(20));
        ++ticks;
      }
    });
    const std::size_t rss_before = testing::resident_bytes();
    std::size_t peak = rss_before;
    auto rows = conn->stream("SELECT seq, REPEAT('x', 100) AS pad FROM seq_1_to_1000000");
    ASSERT_EQ(rows.columns().size(), 2u);
    std::int64_t expected = 1;
    while (auto r = rows.next()) {
      ASSERT_EQ(r->get<std::int64_t>("seq"), expected);
      ++expected;
      if (expected % 65536 == 0) peak = std::max(peak, testing::resident_bytes());
    }
    EXPECT_EQ(expected, 1000001);
    EXPECT_TRUE(rows.done());
    // Buffered, these rows would take well over 100 MiB; streamed, the peak barely moves.
#if defined(__SANITIZE_ADDRESS__)
    // ASan parks freed blocks in its quarantine (256 MiB), so RSS tracks churn, not live data.
    (void)peak;
#else
    EXPECT_LT(peak - rss_before, 32u * 1024 * 1024) << "RSS grew by " << (peak - rss_before);
#endif
    EXPECT_GT(ticks, 0);
    EXPECT_EQ(conn->query("SELECT 1").rows.at(0).get<int>(0), 1);
    ticker.kill();
    ticker.join();
  });
}

TEST(mysql_stream, close_drains_and_keeps_the_connection) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    auto conn = mysql::connection::open(test_mysql_url());
    auto rows = conn->stream("SELECT seq FROM seq_1_to_10000 WHERE seq > ?", {value(std::int64_t{10})});
    EXPECT_EQ(rows.next()->get<int>(0), 11);
    // The connection is busy until the stream ends.
    EXPECT_THROW(conn->query("SELECT 1"), interface_error);
    rows.close();
    EXPECT_TRUE(rows.done());
    EXPECT_FALSE(conn->is_broken());
    EXPECT_EQ(conn->query("SELECT 2").rows.at(0).get<int>(0), 2);
    // A statement without rows streams nothing and leaves the connection free.
    auto none = conn->stream("DO 1");
    EXPECT_FALSE(none.next());
    EXPECT_EQ(conn->query("SELECT 3").rows.at(0).get<int>(0), 3);
  });
}

TEST(mysql_stream, dropping_an_unfinished_stream_breaks_the_connection) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    auto conn = mysql::connection::open(test_mysql_url());
    {
      auto rows = conn->stream("SELECT seq FROM seq_1_to_100000");
      EXPECT_TRUE(rows.next().has_value());
    }
    EXPECT_TRUE(conn->is_broken());
    EXPECT_THROW(conn->query("SELECT 1"), interface_error);
    this_fiber::sleep_for(std::chrono::milliseconds(200));  // let the KILL QUERY fiber finish
  });
}

}  // namespace
}  // namespace fibersql
