// Hostile handshakes (issue 10, items 1 and 2): a fake server that withholds TLS, presents a
// certificate that must not pass, or asks for the password in a form it can read. The client
// must fail with a typed error, and the fake must never receive the password.
#include <gtest/gtest.h>

#include <fibersql/mysql/connection.hpp>
#include <fibersql/runtime/runtime.hpp>

#include "support/fake_mysql_server.hpp"
#include "support/test_env.hpp"

namespace fibersql {
namespace {

using testing::fake_mysql_server;
using testing::fake_server_script;
using testing::run_monitored;
using testing::test_cert_dir;

constexpr const char* password = "Fake-Server-Must-Not-Learn-This-7";

std::string url_for(const fake_mysql_server& s, const std::string& query, const std::string& host = "127.0.0.1") {
  return "mysql://app:" + std::string(password) + "@" + host + ":" + std::to_string(s.port()) + "/appdb" +
         (query.empty() ? "" : "?" + query);
}

// refused: connects and returns the operational_error's text. Any other outcome fails the
// test: a connect that succeeds, or an exception of another type.
std::string refused(const std::string& url) {
  std::string what;
  run_monitored([&] {
    try {
      mysql::connection::open(url);
      ADD_FAILURE() << "connected to the fake server";
    } catch (const operational_error& e) {
      what = e.what();
    }
  });
  EXPECT_EQ(what.find(password), std::string::npos) << "the error shows the password: " << what;
  return what;
}

void expect_no_password(fake_mysql_server& s) {
  EXPECT_EQ(s.received().find(password), std::string::npos) << "the fake server learnt the password";
}

fake_server_script plain_switching_to(std::string plugin) {
  fake_server_script script;
  script.switch_to = std::move(plugin);
  return script;
}

// --- TLS promised, server offers none: nothing at all is sent -------------------------------

TEST(mysql_auth, ssl_mode_required_sends_nothing_to_a_server_without_tls) {
  for (const char* mode : {"required", "verify_ca", "verify_identity"}) {
    SCOPED_TRACE(mode);
    fake_mysql_server s(plain_switching_to("mysql_clear_password"));
    std::string query = std::string("ssl_mode=") + mode;
    if (std::string(mode) != "required") query += "&ssl_ca=" + test_cert_dir() + "ca.pem";
    const std::string what = refused(url_for(s, query));
    EXPECT_NE(what.find(std::string("ssl_mode=") + mode), std::string::npos) << what;
    EXPECT_NE(what.find("does not offer TLS"), std::string::npos) << what;
    EXPECT_FALSE(s.got_handshake_reply());
    EXPECT_EQ(s.received(), "");
  }
}

// The alias: on 4e27cc1 `ssl=true` logged in over plaintext and answered the clear-password
// switch with the password.
TEST(mysql_auth, ssl_true_alias_refuses_plaintext) {
  fake_mysql_server s(plain_switching_to("mysql_clear_password"));
  EXPECT_NE(refused(url_for(s, "ssl=true")).find("ssl_mode=required"), std::string::npos);
  EXPECT_EQ(s.received(), "");
}

// A TLS option without a mode never means "plaintext is fine".
TEST(mysql_auth, tls_option_without_mode_refuses_plaintext) {
  fake_mysql_server s(plain_switching_to("mysql_clear_password"));
  refused(url_for(s, "ssl_ca=" + test_cert_dir() + "ca.pem"));
  EXPECT_EQ(s.received(), "");
}

TEST(mysql_auth, server_without_plugin_auth_or_tls_gets_nothing) {
  fake_server_script script;
  script.plugin_auth = false;
  fake_mysql_server s(script);
  const std::string what = refused(url_for(s, "ssl_mode=required"));
  EXPECT_NE(what.find("ssl_mode=required"), std::string::npos) << what;
  EXPECT_EQ(s.received(), "");
}

// --- Auth switches that would reveal the password -------------------------------------------

TEST(mysql_auth, switch_to_clear_password_is_refused) {
  for (const char* query : {"", "ssl_mode=preferred"}) {
    SCOPED_TRACE(query);
    fake_mysql_server s(plain_switching_to("mysql_clear_password"));
    refused(url_for(s, query));
    expect_no_password(s);
  }
}

TEST(mysql_auth, switch_to_dialog_is_refused) {
  fake_mysql_server s(plain_switching_to("dialog"));
  refused(url_for(s, ""));
  expect_no_password(s);
}

TEST(mysql_auth, clear_password_announced_in_greeting_is_refused) {
  fake_server_script script;
  script.greeting_plugin = "mysql_clear_password";
  fake_mysql_server s(script);
  refused(url_for(s, ""));
  expect_no_password(s);
}

// --- RSA keys handed out by the server -------------------------------------------------------

TEST(mysql_auth, server_sent_public_key_is_refused) {
  for (const char* plugin : {"caching_sha2_password", "sha256_password"}) {
    SCOPED_TRACE(plugin);
    fake_mysql_server s(plain_switching_to(plugin));
    refused(url_for(s, ""));
    expect_no_password(s);
  }
}

// The fake's detector works: with the explicit opt-in the client encrypts the password with
// the fake's key, and the fake reads it. (This is what happened by default on 4e27cc1.)
TEST(mysql_auth, opt_in_to_server_public_key_lets_the_server_read_the_password) {
  fake_mysql_server s(plain_switching_to("caching_sha2_password"));
  refused(url_for(s, "allow_server_public_key=true"));
  EXPECT_NE(s.received().find(password), std::string::npos);
}

// A pinned key: the client encrypts with it, so a server that does not own it learns nothing.
TEST(mysql_auth, pinned_public_key_is_used_instead_of_the_servers) {
  for (const char* plugin : {"caching_sha2_password", "sha256_password"}) {
    SCOPED_TRACE(plugin);
    fake_mysql_server s(plain_switching_to(plugin));
    refused(url_for(s, "server_public_key=" + test_cert_dir() + "server-public-key.pem"));
    expect_no_password(s);
  }
}

TEST(mysql_auth, pinned_public_key_must_be_readable) {
  // Connector/C would fall back to asking the server for its key.
  std::string what;
  run_monitored([&] {
    try {
      mysql::connection::open("mysql://app:pw@127.0.0.1:1/db?server_public_key=/nonexistent.pem");
      ADD_FAILURE() << "connected";
    } catch (const interface_error& e) {
      what = e.what();
    }
  });
  EXPECT_NE(what.find("server_public_key '/nonexistent.pem' cannot be read"), std::string::npos) << what;
}

// --- Certificates that must not pass (the fake offers TLS) ----------------------------------

fake_server_script tls_switching_to_clear(const std::string& cert) {
  fake_server_script script;
  script.offer_tls = true;
  script.cert_file = test_cert_dir() + cert + ".pem";
  script.key_file = test_cert_dir() + cert + ".key";
  script.switch_to = "mysql_clear_password";
  return script;
}

// On 4e27cc1 the certificate was checked against the resolved 127.0.0.1, so an IP-only
// certificate passed for host=localhost.
TEST(mysql_auth, verify_identity_refuses_ip_only_certificate_for_a_host_name) {
  fake_mysql_server s(tls_switching_to_clear("server-ip"));
  const std::string what =
      refused(url_for(s, "ssl_ca=" + test_cert_dir() + "ca.pem&ssl_verify_server_cert=true", "localhost"));
  EXPECT_NE(what.find("does not name host 'localhost'"), std::string::npos) << what;
  expect_no_password(s);
}

TEST(mysql_auth, verify_ca_refuses_certificate_from_another_ca) {
  for (const char* mode : {"verify_ca", "verify_identity"}) {
    SCOPED_TRACE(mode);
    fake_mysql_server s(tls_switching_to_clear("server-other"));
    refused(url_for(s, std::string("ssl_mode=") + mode + "&ssl_ca=" + test_cert_dir() + "ca.pem"));
    expect_no_password(s);
  }
}

// The certificate passes; the clear-password switch is still refused without the opt-in,
// and with it the password goes, inside TLS, to the verified server.
TEST(mysql_auth, clear_password_only_on_opt_in_and_only_inside_tls) {
  const std::string ca = "&ssl_ca=" + test_cert_dir() + "ca.pem";
  {
    fake_mysql_server s(tls_switching_to_clear("server-dns"));
    refused(url_for(s, "ssl_mode=verify_identity" + ca, "localhost"));
    EXPECT_TRUE(s.tls_used());
    expect_no_password(s);
  }
  {
    fake_mysql_server s(tls_switching_to_clear("server-dns"));
    refused(url_for(s, "ssl_mode=verify_identity&allow_cleartext_password=true" + ca, "localhost"));
    EXPECT_TRUE(s.tls_used());
    EXPECT_NE(s.received().find(password), std::string::npos);
  }
  run_monitored([] {
    EXPECT_THROW(mysql::connection::open("mysql://app:pw@127.0.0.1:1/db?allow_cleartext_password=true"),
                 interface_error);
  });
}

}  // namespace
}  // namespace fibersql
