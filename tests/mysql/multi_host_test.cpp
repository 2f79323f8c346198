// Multi-host URLs: parsing, the policies, and a connect that fails over to the next host
// (a closed port first, then the fixture's server).
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <set>
#include <string>

#include <fibersql/mysql/mysql_connection.hpp>
#include <fibersql/mysql/options.hpp>
#include <fibersql/runtime/runtime.hpp>
#include <fibersql/sql/errors.hpp>

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
  const auto o = parse_mysql_url("mysql://u:p,w@h1:3307,[::1]:3308,h3/db?hosts=round_robin&connect_timeout=2");
  ASSERT_EQ(o.hosts.size(), 3u);
  EXPECT_EQ(o.hosts[0].host, "h1");
  EXPECT_EQ(o.hosts[0].port, 3307u);
  EXPECT_EQ(o.hosts[1].host, "::1");
  EXPECT_EQ(o.hosts[1].port, 3308u);
  EXPECT_EQ(o.hosts[2].host, "h3");
  EXPECT_EQ(o.hosts[2].port, 3306u);
  EXPECT_EQ(o.hosts_policy, host_policy::round_robin);
  EXPECT_EQ(o.password, "p,w") << "a comma in the password is not a host separator";
  EXPECT_EQ(o.database, "db");
  EXPECT_EQ(o.connect_timeout.count(), 2);
  EXPECT_TRUE(parse_mysql_url("mysql://u@h1:1/db").hosts.empty()) << "one host: no list";
}

TEST(multi_host, bad_lists_and_policies_are_named) {
  try {
    parse_mysql_url("mysql://u:secret@h1:1,,h2:2/db");
    ADD_FAILURE() << "an empty entry was accepted";
  } catch (const interface_error& e) {
    EXPECT_NE(std::string(e.what()).find("empty host entry"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos) << "the password leaked";
  }
  EXPECT_THROW(parse_mysql_url("mysql://u@h1:1,h2:99999/db"), interface_error);
  try {
    parse_mysql_url("mysql://u@h1:1,h2:2/db?hosts=sticky");
    ADD_FAILURE() << "an unknown policy was accepted";
  } catch (const interface_error& e) {
    EXPECT_NE(std::string(e.what()).find("'sticky'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("ordered, random or round_robin"), std::string::npos);
  }
}

TEST(multi_host, ordered_fails_over_from_a_closed_port_to_the_server) {
  FIBERSQL_REQUIRE_MYSQL();
  mysql_connect_options o = parse_mysql_url(test_mysql_url());
  if (!o.unix_socket.empty()) GTEST_SKIP() << "the server under test is on a unix socket";
  o.hosts = {{"127.0.0.1", closed_port()}, {o.host, o.port}};
  run_monitored([&] {
    auto c = mysql_connection::open(o);
    EXPECT_EQ(c->query("SELECT @@port").rows.at(0).get<std::int64_t>(0), o.hosts[1].port);
  });
}

TEST(multi_host, no_host_answering_is_one_error_naming_each_host) {
  mysql_connect_options o = parse_mysql_url("mysql://u:hidden-pw@127.0.0.1/db");
  const unsigned a = closed_port(), b = closed_port();
  o.hosts = {{"127.0.0.1", a}, {"127.0.0.1", b}};
  run_monitored([&] {
    try {
      mysql_connection::open(o);
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
  mysql_connect_options o = parse_mysql_url(test_mysql_url());
  if (!o.unix_socket.empty()) GTEST_SKIP() << "the server under test is on a unix socket";
  // The same server under two names: which one a connect used shows in its host name.
  o.hosts = {{"127.0.0.1", o.port}, {"localhost", o.port}};
  o.hosts_policy = host_policy::round_robin;
  run_monitored([&] {
    std::set<std::string> used;
    for (int i = 0; i < 4; ++i) {
      auto c = mysql_connection::open(o);
      used.insert(c->options().host);
    }
    EXPECT_EQ(used.size(), 2u) << "round_robin kept to one host";
  });
}

}  // namespace
}  // namespace fibersql
