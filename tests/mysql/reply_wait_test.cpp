// A statement's reply is awaited on the hub before Connector/C's first read (src/mysql/reply_wait.cpp):
// no recv() that fails with EAGAIN per prepared execution, and every reply, of any size, read
// whole. (The wait's read timeout: interrupt_test, read_timeout_ends_a_prepared_statement_alike.)
#include <dlfcn.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <fibersql/mysql/connection.hpp>
#include <fibersql/runtime/runtime.hpp>

#include "support/test_env.hpp"

namespace {
// Every recv() in this process (Connector/C reads its sockets with it) that would have blocked.
std::atomic<long> would_block{0};
}  // namespace

extern "C" ssize_t recv(int fd, void* buffer, size_t length, int flags) {
  using recv_fn = ssize_t (*)(int, void*, size_t, int);
  static const auto real = reinterpret_cast<recv_fn>(dlsym(RTLD_NEXT, "recv"));
  const ssize_t n = real(fd, buffer, length, flags);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) would_block.fetch_add(1, std::memory_order_relaxed);
  return n;
}

namespace fibersql {
namespace {

using namespace std::chrono_literals;
using testing::run_monitored;
using testing::test_mysql_url;

TEST(mysql_reply_wait, prepared_executions_make_no_recv_that_would_block) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    auto conn = mysql::connection::open(test_mysql_url());
    auto stmt = conn->prepare("SELECT ?, REPEAT('x', 100)");
    constexpr int executions = 200;
    const long before = would_block.load();
    for (int i = 0; i < executions; ++i) {
      const result r = stmt.execute({value(std::int64_t{i})});
      ASSERT_EQ(r.rows.at(0).get<std::int64_t>(0), i);
      ASSERT_EQ(r.rows.at(0).get<std::string>(1), std::string(100, 'x'));
    }
    // Without the hook each execution's first recv comes a microsecond after the request, long
    // before the server answers: measured 200 of 200 here. With it a reply is read only once
    // the socket is readable; a small reply arrives in one segment, so none would block.
    EXPECT_EQ(would_block.load() - before, 0);
  });
}

TEST(mysql_reply_wait, the_text_protocol_waits_for_its_reply_too) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    auto conn = mysql::connection::open(test_mysql_url());
    const long before = would_block.load();
    for (int i = 0; i < 100; ++i)
      ASSERT_EQ(conn->query("SELECT ?", {value(std::int64_t{i})}).rows.at(0).get<std::int64_t>(0), i);
    EXPECT_EQ(would_block.load() - before, 0);
  });
}

TEST(mysql_reply_wait, a_reply_larger_than_the_socket_buffers_is_read_whole) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    auto conn = mysql::connection::open(test_mysql_url());
    auto stmt = conn->prepare("SELECT REPEAT('y', ?)");
    for (const std::int64_t size : {std::int64_t{1}, std::int64_t{70000}, std::int64_t{8 << 20}}) {
      const result r = stmt.execute({value(size)});
      EXPECT_EQ(r.rows.at(0).get<std::string>(0), std::string(static_cast<std::size_t>(size), 'y'));
    }
  });
}

TEST(mysql_reply_wait, many_connections_on_one_hub_each_get_their_own_replies) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    constexpr int connections = 32, executions = 50;
    std::vector<fiber> workers;
    int checked = 0;
    for (int c = 0; c < connections; ++c) {
      workers.push_back(spawn([&, c] {
        auto conn = mysql::connection::open(test_mysql_url());
        auto stmt = conn->prepare("SELECT ?, CONNECTION_ID()");
        const std::int64_t session = static_cast<std::int64_t>(conn->server_thread_id());
        for (int i = 0; i < executions; ++i) {
          const std::int64_t mine = c * 1000 + i;
          const result r = stmt.execute({value(mine)});
          EXPECT_EQ(r.rows.at(0).get<std::int64_t>(0), mine);
          EXPECT_EQ(r.rows.at(0).get<std::int64_t>(1), session);
          ++checked;
        }
      }));
    }
    join_all(workers);
    EXPECT_EQ(checked, connections * executions);
  });
}

}  // namespace
}  // namespace fibersql
