#pragma once
// A fake MySQL server that speaks just enough of the handshake to attack a client: it may
// withhold TLS, offer TLS with a chosen certificate, announce or switch to any auth plugin
// (mysql_clear_password, dialog, sha256_password, caching_sha2_password) and hand out its own
// RSA public key. It records everything the client sends (decrypted when TLS is on, and the
// password that an RSA-encrypted answer reveals to the key's owner), then refuses the login.
// Real sockets; it serves one client on its own thread, so the client may run on a hub.
#include <atomic>
#include <memory>
#include <string>
#include <thread>

namespace fibersql::testing {

struct fake_server_script {
  bool offer_tls = false;                                 // CLIENT_SSL in the greeting
  bool plugin_auth = true;                                // CLIENT_PLUGIN_AUTH in the greeting
  std::string greeting_plugin = "mysql_native_password";  // announced in the greeting
  std::string switch_to;                                  // plugin to switch to after the client's reply; "" = none
  std::string cert_file;                                  // PEM certificate and key for TLS (offer_tls)
  std::string key_file;
};

class fake_mysql_server {
 public:
  // Listens on 127.0.0.1 (a free port) and serves the first client on a thread.
  explicit fake_mysql_server(fake_server_script script);
  ~fake_mysql_server();  // stops listening, joins the thread
  fake_mysql_server(const fake_mysql_server&) = delete;
  fake_mysql_server& operator=(const fake_mysql_server&) = delete;

  unsigned port() const noexcept { return port_; }
  // received: every byte the client sent after the greeting (TLS records decrypted), plus the
  // plaintext of any RSA-encrypted password. Waits for the session to end first.
  std::string received();
  // True once the client completed a TLS handshake with this server.
  bool tls_used();
  // True when the client sent a handshake reply (its first auth packet) at all.
  bool got_handshake_reply();

 private:
  struct session;
  void serve();
  void finish();

  fake_server_script script_;
  int listen_fd_ = -1;
  unsigned port_ = 0;
  std::unique_ptr<session> session_;
  std::thread thread_;
  bool joined_ = false;
};

}  // namespace fibersql::testing
