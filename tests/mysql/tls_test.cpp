// TLS modes (issue 10, item 1) against the plain fixture server (`mariadb`, no TLS configured)
// and the TLS one (`mariadb_tls`: certificate DNS:localhost, signed by the test CA). The
// server's own view decides whether TLS is on: SHOW SESSION STATUS LIKE 'Ssl_cipher'.
#include <vector>

#include <gtest/gtest.h>

#include <fibersql/mysql/connection.hpp>
#include <fibersql/runtime/runtime.hpp>

#include "support/test_env.hpp"

namespace fibersql {
namespace {

using testing::run_monitored;
using testing::test_cert_dir;
using testing::test_mysql_tls_url;
using testing::test_mysql_url;

std::string status(mysql::connection& conn, const char* name) {
  const result r = conn.query(std::string("SHOW SESSION STATUS LIKE '") + name + "'");
  return r.rows.empty() ? std::string() : r.rows.at(0).get<std::string>(1);
}

// url: the fixture URL with the host replaced and `query` appended.
std::string url(std::string base, const std::string& host, const std::string& query) {
  const std::string numeric = "@127.0.0.1:";
  if (const auto at = base.find(numeric); at != std::string::npos) base.replace(at + 1, numeric.size() - 2, host);
  return base + (query.empty() ? "" : "?" + query);
}

// The session's Ssl_cipher ("" without TLS).
std::string cipher_of(const std::string& u) {
  std::string cipher = "<not connected>";
  run_monitored([&] {
    auto conn = mysql::connection::open(u);
    cipher = status(*conn, "Ssl_cipher");
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

std::string ca(const char* file = "ca.pem") {
  return "ssl_ca=" + test_cert_dir() + file;
}

class mysql_tls : public ::testing::Test {
 protected:
  void SetUp() override {
    tls_ = test_mysql_tls_url();
    if (tls_.empty()) FAIL() << "the mariadb_tls fixture did not run";
  }
  std::string tls_;
};

TEST_F(mysql_tls, every_mode_against_a_tls_server) {
  EXPECT_EQ(cipher_of(url(tls_, "127.0.0.1", "ssl_mode=disabled")), "");
  EXPECT_EQ(cipher_of(url(tls_, "127.0.0.1", "")), "");
  EXPECT_NE(cipher_of(url(tls_, "127.0.0.1", "ssl_mode=preferred")), "");
  EXPECT_NE(cipher_of(url(tls_, "127.0.0.1", "ssl_mode=required")), "");
  EXPECT_NE(cipher_of(url(tls_, "127.0.0.1", "ssl=true")), "");
  EXPECT_NE(cipher_of(url(tls_, "127.0.0.1", "ssl_mode=verify_ca&" + ca())), "");
  EXPECT_NE(cipher_of(url(tls_, "localhost", "ssl_mode=verify_identity&" + ca())), "");
}

// On 4e27cc1 the connect went to the resolved 127.0.0.1 and Connector/C checked the
// certificate against that, refusing this DNS:localhost certificate for host=localhost.
TEST_F(mysql_tls, verify_identity_checks_the_host_name_written_in_the_url) {
  EXPECT_NE(cipher_of(url(tls_, "localhost", ca() + "&ssl_verify_server_cert=true")), "");
  EXPECT_NE(cipher_of(url(tls_, "localhost", ca())), "");  // a CA alone means verify_identity
  const std::string what = refusal(url(tls_, "127.0.0.1", "ssl_mode=verify_identity&" + ca()));
  EXPECT_NE(what.find("ssl_mode=verify_identity"), std::string::npos) << what;
  EXPECT_NE(what.find("does not name host '127.0.0.1'"), std::string::npos) << what;
}

TEST_F(mysql_tls, verify_ca_refuses_a_certificate_from_another_ca) {
  for (const char* mode : {"verify_ca", "verify_identity"}) {
    SCOPED_TRACE(mode);
    const std::string what =
        refusal(url(tls_, "localhost", std::string("ssl_mode=") + mode + "&" + ca("other-ca.pem")));
    EXPECT_NE(what.find("ssl_mode="), std::string::npos) << what;
  }
}

// With a CA given, Connector/C checks the chain itself even in `required` (docs/security.md).
TEST_F(mysql_tls, required_with_a_ca_checks_the_chain) {
  EXPECT_NE(cipher_of(url(tls_, "127.0.0.1", "ssl_mode=required&" + ca())), "");
  refusal(url(tls_, "127.0.0.1", "ssl_mode=required&" + ca("other-ca.pem")));
}

TEST_F(mysql_tls, tls_version_is_honoured) {
  for (const char* version : {"TLSv1.2", "TLSv1.3"}) {
    SCOPED_TRACE(version);
    run_monitored([&] {
      auto conn =
          mysql::connection::open(url(tls_, "127.0.0.1", std::string("ssl_mode=required&tls_version=") + version));
      EXPECT_EQ(status(*conn, "Ssl_version"), version);
    });
  }
}

// ssl_cipher takes TLS 1.2 cipher names and TLS 1.3 suite names.
TEST_F(mysql_tls, ssl_cipher_covers_tls12_and_tls13) {
  const std::pair<const char*, const char*> cases[] = {
      {"TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256"},
      {"TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256"},
      {"TLSv1.3", "TLS_AES_128_GCM_SHA256"},
  };
  for (const auto& [version, cipher] : cases) {
    SCOPED_TRACE(cipher);
    EXPECT_EQ(cipher_of(url(tls_, "127.0.0.1",
                            std::string("ssl_mode=required&tls_version=") + version + "&ssl_cipher=" + cipher)),
              cipher);
  }
}

// A unix socket is a local transport: the strong modes do not demand TLS on it (MySQL's rule
// too), and the guard stays out of the way.
TEST_F(mysql_tls, unix_socket_counts_as_secure_transport) {
  const std::string socket_url = testing::test_mysql_tls_socket_url();
  ASSERT_FALSE(socket_url.empty());
  run_monitored([&] {
    auto conn = mysql::connection::open(socket_url + "&ssl_mode=required");
    EXPECT_EQ(conn->query("SELECT 1").rows.at(0).get<int>(0), 1);
  });
}

}  // namespace
}  // namespace fibersql
