// Opening a session: resolve off the hub, then the non-blocking handshake.
#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <cstdio>
#include <mutex>
#include <optional>

#include <errmsg.h>

#include <fibersql/runtime/errors.hpp>
#include <fibersql/runtime/offload.hpp>
#include <fibersql/runtime/timeout.hpp>

#include "detail/session.hpp"
#include "detail/tls_guard.hpp"
#include "detail/tls_policy.hpp"

namespace fibersql::mysql::detail {
namespace {

bool is_numeric_address(const std::string& host) {
  unsigned char buf[sizeof(in6_addr)];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

// getaddrinfo blocks (DNS, /etc/hosts, NSS plugins), so it runs on the shared worker pool
// (offload) while the fiber waits. Connector/C would otherwise resolve inside its connect and
// stall every fiber of the hub.
std::string lookup(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* list = nullptr;
  const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &list);
  if (rc != 0 || list == nullptr) {
    throw operational_error(2005, "HY000", "unknown MySQL server host '" + host + "' (" + gai_strerror(rc) + ")");
  }
  // Prefer IPv4: a server bound to 127.0.0.1 does not answer on ::1.
  const addrinfo* pick = list;
  for (const addrinfo* a = list; a != nullptr; a = a->ai_next) {
    if (a->ai_family == AF_INET) {
      pick = a;
      break;
    }
  }
  char text[INET6_ADDRSTRLEN] = {};
  const void* addr = pick->ai_family == AF_INET
                         ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(pick->ai_addr)->sin_addr)
                         : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(pick->ai_addr)->sin6_addr);
  inet_ntop(pick->ai_family, addr, text, sizeof text);
  freeaddrinfo(list);
  return text;
}

std::string resolve(const connect_options& o) {
  std::optional<timeout> scope;
  if (o.connect_timeout.count() > 0) scope.emplace(std::chrono::duration_cast<clock::duration>(o.connect_timeout));
  try {
    return offload([host = o.host] { return lookup(host); });
  } catch (const timeout_error& e) {
    if (!scope || !scope->owns(e)) throw;  // an enclosing scope's timeout stays the caller's
    throw operational_error(2005, "HY000", "resolving MySQL server host '" + o.host + "' timed out");
  }
}

void init_library() {
  // mysql_library_init is not thread-safe; mysql_init would call it lazily from any thread.
  static std::once_flag once;
  std::call_once(once, [] {
    mysql_library_init(0, nullptr, nullptr);
    register_tls_guard_plugin();
  });
}

void set_string(MYSQL* m, mysql_option option, const std::string& v) {
  if (!v.empty()) mysql_optionsv(m, option, v.c_str());
}

// apply_options: the Connector/C options of one connect. `guard` is armed when TLS is mandatory
// over TCP (guard.options set).
void apply_options(MYSQL* m, const connect_options& o, tls_guard& guard) {
  mysql_optionsv(m, MYSQL_OPT_NONBLOCK, nullptr);
  const auto seconds = [](std::chrono::seconds s) { return static_cast<unsigned>(s.count()); };
  unsigned connect = seconds(o.connect_timeout), read = seconds(o.read_timeout), write = seconds(o.write_timeout);
  if (connect) mysql_optionsv(m, MYSQL_OPT_CONNECT_TIMEOUT, &connect);
  if (read) mysql_optionsv(m, MYSQL_OPT_READ_TIMEOUT, &read);
  if (write) mysql_optionsv(m, MYSQL_OPT_WRITE_TIMEOUT, &write);
  set_string(m, MYSQL_SET_CHARSET_NAME, o.charset);
  set_string(m, MYSQL_OPT_SSL_CA, o.ssl_ca);
  set_string(m, MYSQL_OPT_SSL_CAPATH, o.ssl_capath);
  set_string(m, MYSQL_OPT_SSL_CERT, o.ssl_cert);
  set_string(m, MYSQL_OPT_SSL_KEY, o.ssl_key);
  set_string(m, MYSQL_OPT_SSL_CIPHER, o.ssl_cipher);
  set_string(m, MARIADB_OPT_TLS_VERSION, o.tls_version);
  set_string(m, MYSQL_SERVER_PUBLIC_KEY, o.server_public_key);
  my_bool on = 1;
  // SSL_ENFORCE only means "start TLS when the server offers it" in Connector/C 3.3; the
  // guard refuses the rest. MYSQL_OPT_SSL_VERIFY_SERVER_CERT stays off: it would check the
  // certificate against the numeric address we connect to; the guard checks the URL's host.
  if (o.ssl_mode != ssl_mode::disabled) mysql_optionsv(m, MYSQL_OPT_SSL_ENFORCE, &on);
  if (guard.options != nullptr) {
    // Only the guard may run until it has seen TLS up; it then installs the full list.
    arm_tls_guard(m);
    guard.plugins_after_tls = allowed_auth_plugins(o);
    mysql_optionsv(m, MARIADB_OPT_RESTRICTED_AUTH, tls_guard_plugin_name);
  } else {
    mysql_optionsv(m, MARIADB_OPT_RESTRICTED_AUTH, allowed_auth_plugins(o).c_str());
  }
  if (o.allow_cleartext_password) mysql_optionsv(m, MYSQL_ENABLE_CLEARTEXT_PLUGIN, &on);
  for (const std::string& cmd : o.init_commands) mysql_optionsv(m, MYSQL_INIT_COMMAND, cmd.c_str());
  // LOAD DATA LOCAL would let a hostile server read client files.
  unsigned off = 0;
  mysql_optionsv(m, MYSQL_OPT_LOCAL_INFILE, &off);
}

// Options built in code get the checks a URL gets.
void check_tls_options(const connect_options& o) {
  if (const std::string why = tls_options_problem(o); !why.empty()) {
    throw interface_error(0, "HY000", why);
  }
  if (!o.server_public_key.empty()) {
    // Connector/C falls back to asking the server for its key when the pinned file cannot be
    // read, which is exactly what pinning must prevent.
    std::FILE* f = std::fopen(o.server_public_key.c_str(), "r");
    if (f == nullptr) {
      throw interface_error(0, "HY000", "server_public_key '" + o.server_public_key + "' cannot be read");
    }
    std::fclose(f);
  }
}

}  // namespace

std::shared_ptr<mysql_session> connect_session(const connect_options& o) {
  check_tls_options(o);
  init_library();
  std::string address;
  if (o.unix_socket.empty()) address = is_numeric_address(o.host) ? o.host : resolve(o);
  mysql_handle handle(mysql_init(nullptr));
  if (!handle) throw operational_error(2008, "HY000", "MySQL client ran out of memory");
  MYSQL* m = handle.get();
  tls_guard guard;
  if (tls_mandatory(o.ssl_mode) && o.unix_socket.empty()) guard.options = &o;
  apply_options(m, o, guard);
  const unsigned long flags = CLIENT_MULTI_RESULTS | (o.multi_statements ? CLIENT_MULTI_STATEMENTS : 0);
  // With a socket path Connector/C needs host "localhost" to take the unix-socket route.
  const char* host = o.unix_socket.empty() ? address.c_str() : "localhost";
  const char* socket = o.unix_socket.empty() ? nullptr : o.unix_socket.c_str();
  const char* db = o.database.empty() ? nullptr : o.database.c_str();
  auto session = std::make_shared<mysql_session>(o, std::move(handle));
  MYSQL* ret = nullptr;
  // No claim is needed: nobody else can see the session yet. A kill or timeout while
  // connecting destroys `session`, whose handle closes without waiting.
  session->drive(
      [&] {
        tls_guard_scope scope(&guard);
        return mysql_real_connect_start(&ret, m, host, o.user.c_str(), o.password.c_str(), db, o.port, socket, flags);
      },
      [&](int ready) {
        tls_guard_scope scope(&guard);
        return mysql_real_connect_cont(&ret, m, ready);
      });
  // Connector/C 3.3 never frees the pinned key's path (mysql_close forgets it); setting the
  // option again frees it. Only after the handshake has finished: a plugin reads it during.
  if (!o.server_public_key.empty()) mysql_optionsv(m, MYSQL_SERVER_PUBLIC_KEY, nullptr);
  const std::string mode = std::string("ssl_mode=") + ssl_mode_name(o.ssl_mode);
  if (!guard.failure.empty()) throw operational_error(2026, "HY000", guard.failure);
  if (ret == nullptr && guard.options != nullptr && !guard.ran && mysql_errno(m) == CR_PLUGIN_NOT_ALLOWED) {
    throw operational_error(2026, "HY000",
                            mode +
                                ": the server's greeting offers no pluggable "
                                "authentication, so TLS cannot be checked "
                                "first; nothing was sent to it");
  }
  if (ret == nullptr) session->raise();
  if (guard.options != nullptr && mysql_get_ssl_cipher(m) == nullptr) {
    // Unreachable while the guard holds; kept so that a library change cannot go unnoticed.
    throw operational_error(2026, "HY000", mode + ": the session is not encrypted");
  }
  session->connected();
  return session;
}

}  // namespace fibersql::mysql::detail
