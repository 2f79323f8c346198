// A misbehaving network between client and server: every failure is a clean
// operational_error within the timeout; never a hang, a crash, a wrong row or a leaked fd.
#include <gtest/gtest.h>

#include <fibersql/mysql/connection.hpp>
#include <fibersql/runtime/runtime.hpp>

#include "support/fault_proxy.hpp"
#include "support/test_env.hpp"

namespace fibersql {
namespace {

using namespace std::chrono_literals;
using testing::fault;
using testing::run_monitored;
using testing::test_mysql_url;

constexpr int row_count = 300;

mysql::connect_options through(const testing::fault_proxy& proxy) {
  auto o = mysql::parse_url(test_mysql_url());
  o.host = "127.0.0.1";
  o.unix_socket.clear();
  o.port = proxy.port();
  o.connect_timeout = 2s;
  o.read_timeout = 2s;
  o.write_timeout = 2s;
  return o;
}

// Connect, a buffered query, a prepared query and a streamed fetch; checks every row it sees.
void scenario(const mysql::connect_options& o) {
  auto conn = mysql::connection::open(o);
  const std::string sql =
      "SELECT seq, REPEAT(CHAR(64 + seq % 26), 40) AS pad FROM seq_1_to_" + std::to_string(row_count) + " ORDER BY seq";
  auto check = [](const row& r, std::int64_t expected) {
    ASSERT_EQ(r.get<std::int64_t>(0), expected);
    ASSERT_EQ(r.get<std::string>(1), std::string(40, static_cast<char>(64 + expected % 26)));
  };
  const result buffered = conn->query(sql);
  ASSERT_EQ(buffered.rows.size(), static_cast<std::size_t>(row_count));
  for (int i = 0; i < row_count; ++i) check(buffered.rows[i], i + 1);
  const result prepared = conn->prepare(sql).execute();
  ASSERT_EQ(prepared.rows.size(), static_cast<std::size_t>(row_count));
  for (int i = 0; i < row_count; ++i) check(prepared.rows[i], i + 1);
  auto stream = conn->stream(sql);
  std::int64_t expected = 1;
  while (auto r = stream.next()) check(*r, expected++);
  ASSERT_EQ(expected, row_count + 1);
}

bool skip_without_tcp() {
  const auto o = mysql::parse_url(test_mysql_url());
  return !o.unix_socket.empty();
}

TEST(mysql_fault, cut_sweep_across_connect_query_and_fetch) {
  FIBERSQL_REQUIRE_MYSQL();
  if (skip_without_tcp()) GTEST_SKIP() << "the server URL is a unix socket";
  run_monitored([] {
    const auto target = mysql::parse_url(test_mysql_url());
    testing::fault_proxy proxy(target.host, target.port);
    const auto options = through(proxy);
    scenario(options);  // clean run: measure the whole conversation
    const std::size_t total = proxy.bytes_forwarded();
    ASSERT_GT(total, 1000u);
    auto settle = [&] {
      const deadline until = deadline_after(3s);
      while (proxy.open_links() > 0 && clock::now() < until) this_fiber::sleep_for(20ms);
    };
    settle();
    const std::size_t fds = testing::open_fd_count();
    int failures = 0, successes = 0;
    std::vector<std::size_t> cuts;
    for (std::size_t n = 0; n < 400; n += 3) cuts.push_back(n);  // handshake, auth, first query
    for (std::size_t n = 400; n < total + 200; n += 211) cuts.push_back(n);
    for (const std::size_t cut : cuts) {
      proxy.set({.mode = fault::cut, .cut_after = cut});
      if (std::getenv("FIBERSQL_TEST_VERBOSE")) std::fprintf(stderr, "cut %zu of %zu\n", cut, total);
      const auto started = clock::now();
      try {
        scenario(options);
        ++successes;
        EXPECT_GE(cut, total - 200) << "succeeded although the stream was cut at " << cut;
      } catch (const operational_error& e) {
        ++failures;
        EXPECT_TRUE(e.poisons_connection()) << e.what();
      }
      EXPECT_LT(clock::now() - started, 3s) << "cut at " << cut << " took too long";
      if (std::getenv("FIBERSQL_TEST_VERBOSE")) {
        std::fprintf(stderr, "  took %lld ms\n", static_cast<long long>((clock::now() - started) / 1ms));
      }
      if (::testing::Test::HasFatalFailure()) return;
    }
    EXPECT_GT(failures, 100);
    EXPECT_GT(successes, 0);
    settle();
    EXPECT_EQ(proxy.open_links(), 0u);
    EXPECT_EQ(testing::open_fd_count(), fds) << "descriptors leaked";
  });
}

TEST(mysql_fault, reset_delay_and_blackhole_mid_stream) {
  FIBERSQL_REQUIRE_MYSQL();
  if (skip_without_tcp()) GTEST_SKIP() << "the server URL is a unix socket";
  run_monitored([] {
    const auto target = mysql::parse_url(test_mysql_url());
    testing::fault_proxy proxy(target.host, target.port);
    auto options = through(proxy);
    const std::size_t fds = testing::open_fd_count();
    proxy.set({.mode = fault::reset});
    EXPECT_THROW(mysql::connection::open(options), operational_error);
    proxy.set({.mode = fault::delay, .delay = 5ms});
    scenario(options);  // slow but correct
    // Blackhole once connected: the server never answers the query; read_timeout fires.
    proxy.set({.mode = fault::none});
    options.read_timeout = 1s;
    auto conn = mysql::connection::open(options);
    proxy.stop();  // silently drops nothing: links are cut, so use a fresh blackhole instead
    EXPECT_THROW(conn->query("SELECT 1"), operational_error);
    EXPECT_TRUE(conn->is_broken());
    conn.reset();
    EXPECT_EQ(testing::open_fd_count(), fds - 1) << "descriptors leaked";  // the proxy's listener
  });
}

}  // namespace
}  // namespace fibersql
