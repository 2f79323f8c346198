#pragma once
// The TLS guard: a Connector/C client auth plugin that runs first in every connect whose
// ssl_mode is required or stronger, after the server's greeting has been read and before
// any authentication byte is written. Connector/C 3.3 itself only refuses a server without
// TLS when it also verifies the certificate (MYSQL_OPT_SSL_VERIFY_SERVER_CERT), and it
// verifies against the host it connects to, which is the numeric address our off-hub
// resolver returned. The guard:
//   1. refuses a server that does not offer TLS (nothing at all is written);
//   2. lets Connector/C send a handshake reply with an empty auth response (this starts TLS;
//      the reply carries the user and database names, now inside TLS, and no password data);
//   3. checks the peer certificate (verify_ca: chain to ssl_ca; verify_identity: also the
//      host name written in the URL, X509_check_host/X509_check_ip_asc);
//   4. widens MARIADB_OPT_RESTRICTED_AUTH from "the guard only" to the plugins the options
//      allow, and returns, so the server's auth-switch request brings in the real plugin.
// Until step 4 the guard is the only allowed plugin: a greeting without CLIENT_PLUGIN_AUTH
// makes Connector/C skip the default plugin and run mysql_native_password at once, which
// the restricted list then refuses before it writes anything.
// The cost is one extra round trip per connect in these modes.
#include <string>

#include <mysql.h>

#include <fibersql/mysql/options.hpp>

namespace fibersql::mysql::detail {

// The name the guard registers under; goes into the restricted-auth list.
inline constexpr const char* tls_guard_plugin_name = "fibersql_tls_guard";

// What one connect's guard checks and what it found. Lives on the connecting fiber's stack.
struct tls_guard {
  const connect_options* options = nullptr;
  std::string plugins_after_tls;  // the restricted-auth list once TLS is up and checked
  bool ran = false;               // the guard plugin was called
  std::string failure;            // why the guard refused (names the mode, never the password)
};

// register_tls_guard_plugin: once per process, after mysql_library_init.
void register_tls_guard_plugin();
// arm_tls_guard: makes the guard the first auth plugin of `m`.
void arm_tls_guard(MYSQL* m);

// While alive, the guard plugin called on this thread (inside a mysql_real_connect_start/_cont
// call) checks against `g`. Connects of several fibers interleave between calls, never inside.
class tls_guard_scope {
 public:
  explicit tls_guard_scope(tls_guard* g) noexcept;
  ~tls_guard_scope();
  tls_guard_scope(const tls_guard_scope&) = delete;
  tls_guard_scope& operator=(const tls_guard_scope&) = delete;

 private:
  tls_guard* previous_;
};

}  // namespace fibersql::mysql::detail
