// URL parsing: no server needed.
#include <gtest/gtest.h>

#include <fibersql/mysql/options.hpp>
#include <fibersql/sql/errors.hpp>

namespace fibersql {
namespace {

TEST(mysql_url, full_tcp_form) {
  const auto o = mysql::parse_url(
      "mysql://ann:p%40ss@db.example:3307/shop?connect_timeout=3&read_timeout=7&write_timeout=9"
      "&charset=latin1&ssl_ca=/etc/ca.pem&init_command=SET%20time_zone%3D%27%2B00:00%27"
      "&init_command=SET%20sql_mode%3D%27%27");
  EXPECT_EQ(o.user, "ann");
  EXPECT_EQ(o.password, "p@ss");
  EXPECT_EQ(o.host, "db.example");
  EXPECT_EQ(o.port, 3307u);
  EXPECT_EQ(o.database, "shop");
  EXPECT_EQ(o.connect_timeout, std::chrono::seconds(3));
  EXPECT_EQ(o.read_timeout, std::chrono::seconds(7));
  EXPECT_EQ(o.write_timeout, std::chrono::seconds(9));
  EXPECT_EQ(o.charset, "latin1");
  EXPECT_EQ(o.ssl_ca, "/etc/ca.pem");
  ASSERT_EQ(o.init_commands.size(), 2u);
  EXPECT_EQ(o.init_commands[0], "SET time_zone='+00:00'");
}

TEST(mysql_url, unix_socket_form_and_defaults) {
  const auto o = mysql::parse_url("mysql://bob@/app?socket=/run/mysqld/mysqld.sock");
  EXPECT_EQ(o.user, "bob");
  EXPECT_TRUE(o.password.empty());
  EXPECT_EQ(o.unix_socket, "/run/mysqld/mysqld.sock");
  EXPECT_EQ(o.database, "app");
  EXPECT_EQ(o.port, 3306u);
  EXPECT_EQ(o.charset, "utf8mb4");
}

TEST(mysql_url, ipv6_host) {
  const auto o = mysql::parse_url("mariadb://u:p@[::1]:3310/d");
  EXPECT_EQ(o.host, "::1");
  EXPECT_EQ(o.port, 3310u);
}

void expect_bad(const char* url, const char* mention) {
  try {
    mysql::parse_url(url);
    ADD_FAILURE() << url << " was accepted";
  } catch (const interface_error& e) {
    EXPECT_NE(std::string(e.what()).find(mention), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos) << "password leaked: " << e.what();
  }
}

TEST(mysql_url, malformed_urls_name_the_problem) {
  expect_bad("postgres://u:secret@h/d", "scheme");
  expect_bad("mysql://u:secret@h:notaport/d", "port");
  expect_bad("mysql://u:secret@h:70000/d", "port");
  expect_bad("mysql://u:secret@h/d?colour=blue", "unknown option 'colour'");
  expect_bad("mysql://u:secret@h/d?read_timeout=soon", "read_timeout");
  expect_bad("mysql://u:secret@h/d?ssl=maybe", "ssl");
  expect_bad("mysql://u:secret@h/d?flag", "flag");
  expect_bad("mysql://u:secret@h/d%zz", "percent");
  expect_bad("mysql://h/d", "user");
}

TEST(mysql_url, redacted_hides_password) {
  const auto o = mysql::parse_url("mysql://u:secret@h:1/d");
  EXPECT_EQ(redacted_url(o), "mysql://***@h:1/d");
}

}  // namespace
}  // namespace fibersql
