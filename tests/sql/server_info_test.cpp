// parse_server_info: the version strings MariaDB and MySQL servers announce.
#include <gtest/gtest.h>

#include <fibersql/sql/server_info.hpp>

namespace fibersql {
namespace {

TEST(server_info, mariadb_and_mysql_strings) {
  EXPECT_EQ(parse_server_info("10.11.6-MariaDB-0+deb12u1"), (server_info{server_flavor::mariadb, 10, 11, 6}));
  EXPECT_EQ(parse_server_info("5.5.5-10.3.39-MariaDB-log"), (server_info{server_flavor::mariadb, 10, 3, 39}));
  EXPECT_EQ(parse_server_info("8.0.36"), (server_info{server_flavor::mysql, 8, 0, 36}));
  EXPECT_EQ(parse_server_info("8.0.19-debug"), (server_info{server_flavor::mysql, 8, 0, 19}));
  EXPECT_EQ(parse_server_info("9"), (server_info{server_flavor::mysql, 9, 0, 0}));
  EXPECT_EQ(parse_server_info(""), (server_info{server_flavor::mysql, 0, 0, 0}));
}

}  // namespace
}  // namespace fibersql
