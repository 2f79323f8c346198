// Connecting: right and wrong credentials, nothing listening, a silent listener, bad URLs.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fibersql/mysql/connection.hpp>
#include <fibersql/runtime/runtime.hpp>

#include "support/fault_proxy.hpp"
#include "support/test_env.hpp"

namespace fibersql {
namespace {

using namespace std::chrono_literals;
using testing::run_monitored;
using testing::test_mysql_url;

TEST(mysql_connect, right_credentials) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    auto conn = mysql::connection::open(test_mysql_url());
    EXPECT_GT(conn->server_thread_id(), 0u);
    const result r = conn->query("SELECT CONNECTION_ID(), DATABASE(), @@character_set_client");
    EXPECT_EQ(r.rows.at(0).get<std::uint64_t>(0), conn->server_thread_id());
    EXPECT_EQ(r.rows.at(0).get<std::string>(1), conn->options().database);
    EXPECT_EQ(r.rows.at(0).get<std::string>(2), "utf8mb4");
    conn->ping();
    EXPECT_FALSE(conn->is_broken());
    EXPECT_EQ(conn->backend_name(), "mysql");
    conn->close();
    EXPECT_THROW(conn->ping(), interface_error);
  });
}

TEST(mysql_connect, unix_socket_and_host_name) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    if (const std::string url = testing::test_mysql_socket_url(); !url.empty()) {
      auto conn = mysql::connection::open(url);
      EXPECT_EQ(conn->query("SELECT 1").rows.at(0).get<int>(0), 1);
    }
    // "localhost" goes through the resolver thread and then TCP, never the hub.
    auto o = mysql::parse_url(test_mysql_url());
    if (o.host == "127.0.0.1") {
      o.host = "localhost";
      auto conn = mysql::connection::open(o);
      EXPECT_EQ(conn->query("SELECT 2").rows.at(0).get<int>(0), 2);
    }
  });
}

TEST(mysql_connect, init_command_runs_after_connect_and_reset) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    auto o = mysql::parse_url(test_mysql_url());
    o.init_commands = {"SET @fibersql_init = 42"};
    auto conn = mysql::connection::open(o);
    EXPECT_EQ(conn->query("SELECT @fibersql_init").rows.at(0).get<int>(0), 42);
    conn->query("SET @fibersql_init = 7");
    conn->reset();
    EXPECT_EQ(conn->query("SELECT @fibersql_init").rows.at(0).get<int>(0), 42);
  });
}

TEST(mysql_connect, wrong_password_is_1045) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    auto o = mysql::parse_url(test_mysql_url());
    o.password = "definitely-wrong";
    try {
      mysql::connection::open(o);
      ADD_FAILURE() << "connected with a wrong password";
    } catch (const operational_error& e) {
      EXPECT_EQ(e.code(), 1045u);
      EXPECT_EQ(e.sqlstate(), "28000");
      EXPECT_NE(std::string(e.what()).find("Access denied"), std::string::npos) << e.what();
    }
  });
}

int free_port_closed() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

TEST(mysql_connect, nothing_listening) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    auto o = mysql::parse_url(test_mysql_url());
    o.host = "127.0.0.1";
    o.unix_socket.clear();
    o.port = static_cast<unsigned>(free_port_closed());
    const auto started = clock::now();
    try {
      mysql::connection::open(o);
      ADD_FAILURE() << "connected to a closed port";
    } catch (const operational_error& e) {
      EXPECT_EQ(e.code(), 2002u) << e.what();  // CR_CONNECTION_ERROR (refused)
    }
    EXPECT_LT(clock::now() - started, 2s);
  });
}

TEST(mysql_connect, silent_listener_hits_connect_timeout) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    testing::fault_proxy proxy("127.0.0.1", 1);
    proxy.set({.mode = testing::fault::blackhole});
    auto o = mysql::parse_url(test_mysql_url());
    o.host = "127.0.0.1";
    o.unix_socket.clear();
    o.port = proxy.port();
    o.connect_timeout = 1s;
    int ticks = 0;
    fiber ticker = spawn([&] {
      for (;;) {
        this_fiber::sleep_for(50ms);
        ++ticks;
      }
    });
    const auto started = clock::now();
    EXPECT_THROW(mysql::connection::open(o), operational_error);
    const auto took = clock::now() - started;
    EXPECT_GE(took, 900ms);
    EXPECT_LT(took, 3s);
    EXPECT_GE(ticks, 10) << "the hub was blocked while connecting";
    ticker.kill();
    ticker.join();
  });
}

TEST(mysql_connect, bad_url_is_interface_error) {
  run_monitored([] {
    EXPECT_THROW(mysql::connection::open("mysql://u@h/d?bogus=1"), interface_error);
    EXPECT_THROW(mysql::connection::open("http://u@h/d"), interface_error);
  });
}

TEST(mysql_connect, server_version_matches_version_function) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([] {
    auto conn = mysql::connection::open(test_mysql_url());
    const server_info v = conn->server_version();
    const std::string text = conn->query("SELECT VERSION()").rows.at(0).get<std::string>(0);
    EXPECT_EQ(v, parse_server_info(text));
    EXPECT_NE(v.flavor, server_flavor::unknown);
    EXPECT_GE(v.major, 5);
    conn->close();
    EXPECT_EQ(conn->server_version(), server_info{});
  });
}

}  // namespace
}  // namespace fibersql
