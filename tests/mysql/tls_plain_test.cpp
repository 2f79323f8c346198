// TLS modes against the plain fixture server (`mariadb`: MariaDB 10.11 with no TLS
// configured, so it offers none): disabled and preferred connect in plaintext; required and
// stronger, and the alias ssl=true and a bare ssl_ca, refuse before any auth byte.
#include <cstdlib>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <fibersql/mysql/connection.hpp>
#include <fibersql/runtime/runtime.hpp>

#include "support/test_env.hpp"

namespace fibersql {
namespace {

using testing::run_monitored;
using testing::test_cert_dir;
using testing::test_mysql_url;

std::string cipher_of(const std::string& u) {
  std::string cipher = "<not connected>";
  run_monitored([&] {
    auto conn = mysql::connection::open(u);
    const result r = conn->query("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
    cipher = r.rows.at(0).get<std::string>(1);
  });
  return cipher;
}

std::string refusal(const std::string& u) {
  std::string what;
  run_monitored([&] {
    try {
      mysql::connection::open(u);
      ADD_FAILURE() << "connected: " << u;
    } catch (const operational_error& e) {
      what = e.what();
    }
  });
  return what;
}

std::string url(const std::string& base, const std::string& query) {
  return base + (query.empty() ? "" : (base.find('?') == std::string::npos ? "?" : "&") + query);
}

std::string ca() {
  return "ssl_ca=" + test_cert_dir() + "ca.pem";
}

// MariaDB 10.11 offers no TLS unless configured, so the plain fixture is a "server without TLS".
TEST(mysql_tls_plain, plain_fixture_server_offers_no_tls) {
  FIBERSQL_REQUIRE_MYSQL();
  std::string have_ssl;
  run_monitored([&] {
    auto conn = mysql::connection::open(test_mysql_url());
    have_ssl = conn->query("SELECT @@have_ssl").rows.at(0).get<std::string>(0);
  });
  if (!std::getenv("FIBERSQL_TEST_MYSQL_URL")) {
    EXPECT_NE(have_ssl, "YES");
  }
  if (have_ssl == "YES") GTEST_SKIP() << "the external server offers TLS";
  const std::string base = test_mysql_url();
  EXPECT_EQ(cipher_of(url(base, "")), "");
  EXPECT_EQ(cipher_of(url(base, "ssl_mode=disabled")), "");
  EXPECT_EQ(cipher_of(url(base, "ssl_mode=preferred")), "");
  for (const std::string& q : std::vector<std::string>{"ssl_mode=required", "ssl=true", "ssl_mode=verify_ca&" + ca(),
                                                       "ssl_mode=verify_identity&" + ca(), ca()}) {
    SCOPED_TRACE(q);
    const std::string what = refusal(url(base, q));
    EXPECT_NE(what.find("does not offer TLS"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace fibersql
