// Multi-host URLs: parsing, the policies, and a connect that fails over to the next host
// (a closed port first, then the fixture's server).
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <set>
#include <string>

#include <fibersql/mysql/connection.hpp>
#include <fibersql/mysql/host_health.hpp>
#include <fibersql/mysql/options.hpp>
#include <fibersql/runtime/runtime.hpp>
#include <fibersql/sql/errors.hpp>

#include "support/fault_proxy.hpp"
#include "support/test_env.hpp"

namespace fibersql {
namespace {

using fibersql::testing::run_monitored;
using fibersql::testing::test_mysql_url;

// A loopback port nothing listens on: bound, then closed (a small race, as any free-port pick).
unsigned closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

TEST(multi_host, url_with_a_host_list_and_a_policy) {
  const auto o = mysql::parse_url("mysql://u:p,w@h1:3307,[::1]:3308,h3/db?hosts=round_robin&connect_timeout=2");
  ASSERT_EQ(o.hosts.size(), 3u);
  EXPECT_EQ(o.hosts[0].host, "h1");
  EXPECT_EQ(o.hosts[0].port, 3307u);
  EXPECT_EQ(o.hosts[1].host, "::1");
  EXPECT_EQ(o.hosts[1].port, 3308u);
  EXPECT_EQ(o.hosts[2].host, "h3");
  EXPECT_EQ(o.hosts[2].port, 3306u);
  EXPECT_EQ(o.hosts_policy, mysql::host_policy::round_robin);
  EXPECT_EQ(o.password, "p,w") << "a comma in the password is not a host separator";
  EXPECT_EQ(o.database, "db");
  EXPECT_EQ(o.connect_timeout.count(), 2);
  EXPECT_TRUE(mysql::parse_url("mysql://u@h1:1/db").hosts.empty()) << "one host: no list";
}

TEST(multi_host, bad_lists_and_policies_are_named) {
  try {
    mysql::parse_url("mysql://u:secret@h1:1,,h2:2/db");
    ADD_FAILURE() << "an empty entry was accepted";
  } catch (const interface_error& e) {
    EXPECT_NE(std::string(e.what()).find("empty host entry"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos) << "the password leaked";
  }
  EXPECT_THROW(mysql::parse_url("mysql://u@h1:1,h2:99999/db"), interface_error);
  try {
    mysql::parse_url("mysql://u@h1:1,h2:2/db?hosts=sticky");
    ADD_FAILURE() << "an unknown policy was accepted";
  } catch (const interface_error& e) {
    EXPECT_NE(std::string(e.what()).find("'sticky'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("ordered, random or round_robin"), std::string::npos);
  }
}

TEST(multi_host, ordered_fails_over_from_a_closed_port_to_the_server) {
  FIBERSQL_REQUIRE_MYSQL();
  mysql::connect_options o = mysql::parse_url(test_mysql_url());
  if (!o.unix_socket.empty()) GTEST_SKIP() << "the server under test is on a unix socket";
  o.hosts = {{"127.0.0.1", closed_port()}, {o.host, o.port}};
  run_monitored([&] {
    auto c = mysql::connection::open(o);
    EXPECT_EQ(c->query("SELECT @@port").rows.at(0).get<std::int64_t>(0), o.hosts[1].port);
  });
}

TEST(multi_host, no_host_answering_is_one_error_naming_each_host) {
  mysql::connect_options o = mysql::parse_url("mysql://u:hidden-pw@127.0.0.1/db");
  const unsigned a = closed_port(), b = closed_port();
  o.hosts = {{"127.0.0.1", a}, {"127.0.0.1", b}};
  run_monitored([&] {
    try {
      mysql::connection::open(o);
      ADD_FAILURE() << "connected to closed ports";
    } catch (const operational_error& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("127.0.0.1:" + std::to_string(a)), std::string::npos) << what;
      EXPECT_NE(what.find("127.0.0.1:" + std::to_string(b)), std::string::npos) << what;
      EXPECT_EQ(what.find("hidden-pw"), std::string::npos) << "the password leaked";
    }
  });
}

TEST(multi_host, round_robin_starts_each_connect_at_the_next_host) {
  FIBERSQL_REQUIRE_MYSQL();
  mysql::connect_options o = mysql::parse_url(test_mysql_url());
  if (!o.unix_socket.empty()) GTEST_SKIP() << "the server under test is on a unix socket";
  // The same server under two names: which one a connect used shows in its host name.
  o.hosts = {{"127.0.0.1", o.port}, {"localhost", o.port}};
  o.hosts_policy = mysql::host_policy::round_robin;
  run_monitored([&] {
    std::set<std::string> used;
    for (int i = 0; i < 4; ++i) {
      auto c = mysql::connection::open(o);
      used.insert(c->options().host);
    }
    EXPECT_EQ(used.size(), 2u) << "round_robin kept to one host";
  });
}

TEST(multi_host, a_failed_host_is_skipped_then_probed_in_the_background_before_it_is_used_again) {
  FIBERSQL_REQUIRE_MYSQL();
  mysql::connect_options o = mysql::parse_url(test_mysql_url());
  if (!o.unix_socket.empty()) GTEST_SKIP() << "the server under test is on a unix socket";
  o.host_backoff = std::chrono::milliseconds(50);
  o.host_backoff_max = std::chrono::milliseconds(100);
  run_monitored([&] {
    testing::fault_proxy proxy(o.host, o.port);  // the first host: down while it resets
    proxy.set({.mode = testing::fault::reset});
    o.hosts = {{"127.0.0.1", proxy.port()}, {o.host, o.port}};
    auto health = [&] { return mysql::host_health("127.0.0.1", proxy.port()); };

    EXPECT_EQ(mysql::connection::open(o)->options().port, o.port) << "failed over to the second host";
    EXPECT_EQ(health().failures, 1u);
    EXPECT_TRUE(health().down);
    EXPECT_EQ(mysql::connection::open(o)->options().port, o.port);
    EXPECT_EQ(health().failures, 1u) << "a down host is not tried by connects";
    EXPECT_GE(health().skipped, 1u);

    this_fiber::sleep_for(std::chrono::milliseconds(400));
    EXPECT_GE(health().probe_failures, 1u) << "the probe keeps trying in the background";
    EXPECT_TRUE(health().down);
    EXPECT_EQ(mysql::connection::open(o)->options().port, o.port) << "still down after its back-off: not used";

    proxy.set({});  // the host is back
    for (int i = 0; i < 100 && health().down; ++i) this_fiber::sleep_for(std::chrono::milliseconds(20));
    EXPECT_FALSE(health().down) << "a probe succeeded";
    EXPECT_FALSE(health().probing);
    EXPECT_EQ(mysql::connection::open(o)->options().port, proxy.port()) << "used again once probed";
    EXPECT_EQ(health().failures, 1u);
    proxy.stop();
  });
}

TEST(multi_host, every_host_down_is_still_tried_rather_than_refused_unseen) {
  mysql::connect_options o = mysql::parse_url("mysql://u:p@127.0.0.1/db?host_backoff_ms=60000");
  EXPECT_EQ(o.host_backoff, std::chrono::milliseconds(60000));
  const unsigned a = closed_port();
  o.hosts = {{"127.0.0.1", a}};
  run_monitored([&] {
    EXPECT_THROW(mysql::connection::open(o), operational_error);
    EXPECT_THROW(mysql::connection::open(o), operational_error);
    EXPECT_EQ(mysql::host_health("127.0.0.1", a).failures, 2u) << "the last resort tries a down host";
  });
}

}  // namespace
}  // namespace fibersql
