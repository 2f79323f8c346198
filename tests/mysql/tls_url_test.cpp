// The TLS and auth words of a MySQL URL (no server needed): ssl_mode, its aliases, what a TLS
// option without a mode means, and the combinations refused up front.
#include <gtest/gtest.h>

#include <fibersql/mysql/options.hpp>
#include <fibersql/sql/errors.hpp>

namespace fibersql {
namespace {

mysql::ssl_mode mode_of(const std::string& query) {
  return mysql::parse_url("mysql://u:secret@db.example/d?" + query).ssl_mode;
}

void expect_bad(const std::string& query, const char* mention) {
  try {
    mysql::parse_url("mysql://u:secret@db.example/d?" + query);
    ADD_FAILURE() << query << " was accepted";
  } catch (const interface_error& e) {
    EXPECT_NE(std::string(e.what()).find(mention), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos) << "password leaked: " << e.what();
  }
}

TEST(mysql_tls_url, ssl_mode_words) {
  EXPECT_EQ(mysql::parse_url("mysql://u@h/d").ssl_mode, mysql::ssl_mode::disabled);
  EXPECT_EQ(mode_of("ssl_mode=disabled"), mysql::ssl_mode::disabled);
  EXPECT_EQ(mode_of("ssl_mode=preferred"), mysql::ssl_mode::preferred);
  EXPECT_EQ(mode_of("ssl_mode=required"), mysql::ssl_mode::required);
  EXPECT_EQ(mode_of("ssl_mode=REQUIRED"), mysql::ssl_mode::required);  // mysql --ssl-mode spelling
  EXPECT_EQ(mode_of("ssl_mode=verify_ca&ssl_ca=/ca.pem"), mysql::ssl_mode::verify_ca);
  EXPECT_EQ(mode_of("ssl_mode=verify_identity&ssl_capath=/certs"), mysql::ssl_mode::verify_identity);
  expect_bad("ssl_mode=sometimes", "ssl_mode must be disabled, preferred, required, verify_ca or verify_identity");
}

TEST(mysql_tls_url, aliases) {
  EXPECT_EQ(mode_of("ssl=true"), mysql::ssl_mode::required);
  EXPECT_EQ(mode_of("ssl=false"), mysql::ssl_mode::disabled);
  EXPECT_EQ(mode_of("ssl_verify_server_cert=true&ssl_ca=/ca.pem"), mysql::ssl_mode::verify_identity);
  EXPECT_EQ(mode_of("ssl=true&ssl_verify_server_cert=true&ssl_ca=/ca.pem"), mysql::ssl_mode::verify_identity);
  expect_bad("ssl=true&ssl_mode=required", "cannot be combined");
  expect_bad("ssl=false&ssl_verify_server_cert=true&ssl_ca=/ca.pem", "contradicts");
}

// Any TLS option without a mode must not mean "plaintext is fine".
TEST(mysql_tls_url, tls_options_without_a_mode_never_allow_plaintext) {
  EXPECT_EQ(mode_of("ssl_ca=/ca.pem"), mysql::ssl_mode::verify_identity);
  EXPECT_EQ(mode_of("ssl_capath=/certs"), mysql::ssl_mode::verify_identity);
  EXPECT_EQ(mode_of("ssl_cert=/c.pem&ssl_key=/k.pem"), mysql::ssl_mode::required);
  EXPECT_EQ(mode_of("ssl_cipher=ECDHE-RSA-AES128-GCM-SHA256"), mysql::ssl_mode::required);
  EXPECT_EQ(mode_of("tls_version=TLSv1.3"), mysql::ssl_mode::required);
  expect_bad("ssl_mode=disabled&ssl_ca=/ca.pem", "ssl_mode=disabled");
  expect_bad("ssl=false&ssl_ca=/ca.pem", "ssl_mode=disabled");
}

TEST(mysql_tls_url, refused_combinations) {
  expect_bad("ssl_mode=verify_ca", "needs ssl_ca or ssl_capath");
  expect_bad("ssl_mode=verify_identity", "needs ssl_ca or ssl_capath");
  expect_bad("ssl_mode=required&ssl_cert=/c.pem", "ssl_cert and ssl_key go together");
  expect_bad("ssl_mode=required&tls_version=TLSv1.1", "tls_version must be");
  expect_bad("ssl_mode=required&tls_version=TLSv1.2,", "tls_version must be");
  expect_bad("allow_cleartext_password=true", "allow_cleartext_password needs ssl_mode=required");
  expect_bad("ssl_mode=preferred&allow_cleartext_password=true", "allow_cleartext_password needs");
  expect_bad("allow_server_public_key=perhaps", "allow_server_public_key");
}

TEST(mysql_tls_url, tls_and_auth_values) {
  const auto o = mysql::parse_url(
      "mysql://u@h/d?ssl_mode=verify_identity&ssl_ca=/ca.pem&tls_version=TLSv1.2,TLSv1.3"
      "&ssl_cipher=TLS_AES_128_GCM_SHA256&server_public_key=/key.pem&allow_server_public_key=true"
      "&allow_cleartext_password=true");
  EXPECT_EQ(o.tls_version, "TLSv1.2,TLSv1.3");
  EXPECT_EQ(o.ssl_cipher, "TLS_AES_128_GCM_SHA256");
  EXPECT_EQ(o.server_public_key, "/key.pem");
  EXPECT_TRUE(o.allow_server_public_key);
  EXPECT_TRUE(o.allow_cleartext_password);
}

}  // namespace
}  // namespace fibersql
