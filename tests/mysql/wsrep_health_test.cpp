// The Galera readiness check on a server without a wsrep provider: never in the way. The
// refusals of a node without quorum are tested on a real cluster in tests/cluster.
#include <gtest/gtest.h>

#include <fibersql/mysql/connection.hpp>
#include <fibersql/mysql/options.hpp>
#include <fibersql/mysql/wsrep_health.hpp>
#include <fibersql/runtime/runtime.hpp>

#include "support/test_env.hpp"

namespace fibersql {
namespace {

using fibersql::testing::run_monitored;
using fibersql::testing::test_mysql_url;

TEST(wsrep_health, url_option_parses) {
  EXPECT_TRUE(mysql::parse_url("mysql://u:p@127.0.0.1:3306/db?wsrep_check=1").wsrep_check);
  EXPECT_FALSE(mysql::parse_url("mysql://u:p@127.0.0.1:3306/db").wsrep_check);
}

TEST(wsrep_health, a_server_without_a_provider_is_not_galera_and_passes_the_check) {
  FIBERSQL_REQUIRE_MYSQL();
  run_monitored([&] {
    auto c = mysql::connection::open(test_mysql_url());
    const mysql::wsrep_health h = mysql::read_wsrep_health(*c);
    EXPECT_FALSE(h.galera);
    EXPECT_TRUE(h.ready) << "plain MariaDB reports wsrep_ready=OFF; that must not refuse it";
    EXPECT_NO_THROW(mysql::require_wsrep_ready(*c));
    mysql::connect_options o = mysql::parse_url(test_mysql_url());
    o.wsrep_check = true;
    auto checked = mysql::connection::open(o);
    EXPECT_EQ(checked->query("SELECT 1").rows.at(0).get<std::int64_t>(0), 1);
  });
}

}  // namespace
}  // namespace fibersql
