// A dropped, unread row stream frees its server session at once (issue 10): the server
// thread must not sit in "Killed / Writing to net" until net_write_timeout.
#include <gtest/gtest.h>

#include <fibersql/mysql/connection.hpp>
#include <fibersql/runtime/runtime.hpp>

#include "support/admin.hpp"
#include "support/test_env.hpp"

namespace fibersql {
namespace {

using namespace std::chrono_literals;
using testing::run_monitored;
using testing::test_mysql_url;

TEST(mysql_stream_drop, server_session_is_gone_within_a_second) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    testing::admin admin;
    for (const auto pause : {100ms, 1000ms}) {
      auto conn = mysql::connection::open(test_mysql_url());
      const std::uint64_t id = conn->server_thread_id();
      {
        // ~1 GB of rows: far more than the socket buffers hold, so the server blocks in its
        // write once the client stops reading (after a second, the buffers are full).
        auto rows = conn->stream("SELECT seq, REPEAT('x', 1000) AS pad FROM seq_1_to_1000000");
        ASSERT_TRUE(rows.next());
        this_fiber::sleep_for(pause);
      }
      EXPECT_TRUE(admin.wait_session_gone(id, 1s))
          << "session " << id << " still on the server 1 s after the drop (paused " << pause.count() << " ms)";
    }
  });
}

}  // namespace
}  // namespace fibersql
