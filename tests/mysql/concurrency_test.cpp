// Concurrency is real: many fibers wait on the server at once; one connection, one fiber.
#include <gtest/gtest.h>

#include <fibersql/mysql/connection.hpp>
#include <fibersql/runtime/runtime.hpp>

#include "support/test_env.hpp"

namespace fibersql {
namespace {

using namespace std::chrono_literals;
using testing::run_monitored;
using testing::test_mysql_url;

TEST(mysql_concurrency, two_hundred_sleeps_overlap_and_the_ticker_ticks) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    int ticks = 0;
    fiber ticker = spawn(
        [&] {
          for (;;) {
            this_fiber::sleep_for(10ms);
            ++ticks;
          }
        },
        {.name = "ticker"});
    const auto started = clock::now();
    std::vector<fiber> workers;
    int done = 0;
    for (int i = 0; i < 200; ++i) {
      workers.push_back(spawn(
          [&] {
            auto conn = mysql::connection::open(test_mysql_url());
            const result r = conn->query("SELECT SLEEP(0.5)");
            EXPECT_EQ(r.rows.at(0).get<int>(0), 0);
            ++done;
          },
          {.name = "sleeper-" + std::to_string(i)}));
    }
    join_all(workers);
    const auto took = clock::now() - started;
    EXPECT_EQ(done, 200);
    EXPECT_LT(took, 10s) << "200 x 0.5 s sleeps did not overlap";
    // The ticker fires every 10 ms; it must have kept going while all of that waited.
    const auto expected_ticks = std::chrono::duration_cast<std::chrono::milliseconds>(took).count() / 10;
    EXPECT_GT(ticks, expected_ticks / 3) << "ticks " << ticks << " in " << expected_ticks * 10 << " ms";
    ticker.kill();
    ticker.join();
  });
}

TEST(mysql_concurrency, second_fiber_gets_concurrent_use_error_first_completes) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    auto conn = mysql::connection::open(test_mysql_url());
    std::optional<result> first;
    fiber a = spawn([&] { first = conn->query("SELECT SLEEP(0.3), 'first'"); }, {.name = "fiber-a"});
    std::string message;
    fiber b = spawn(
        [&] {
          this_fiber::sleep_for(50ms);
          try {
            conn->query("SELECT 'second'");
          } catch (const concurrent_use_error& e) {
            message = e.what();
          }
        },
        {.name = "fiber-b"});
    b.join();
    a.join();
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(first->rows.at(0).get<std::string>(1), "first");
    EXPECT_NE(message.find("fiber " + std::to_string(a.id()) + " 'fiber-a'"), std::string::npos) << message;
    EXPECT_NE(message.find("fiber " + std::to_string(b.id()) + " 'fiber-b'"), std::string::npos) << message;
    EXPECT_FALSE(conn->is_broken());
    EXPECT_EQ(conn->query("SELECT 'after'").rows.at(0).get<std::string>(0), "after");
  });
}

TEST(mysql_concurrency, stream_belongs_to_its_fiber) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    auto conn = mysql::connection::open(test_mysql_url());
    auto rows = conn->stream("SELECT seq FROM seq_1_to_100");
    fiber other = spawn(
        [&] {
          EXPECT_THROW(rows.next(), concurrent_use_error);
          EXPECT_THROW(conn->query("SELECT 1"), concurrent_use_error);
        },
        {.name = "intruder"});
    other.join();
    int n = 0;
    while (rows.next()) ++n;
    EXPECT_EQ(n, 100);
  });
}

}  // namespace
}  // namespace fibersql
