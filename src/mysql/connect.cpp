// Opening a session: resolve off the hub, then the non-blocking handshake.
#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <mutex>
#include <thread>

#include <fibersql/runtime/async_result.hpp>
#include <fibersql/runtime/errors.hpp>

#include "session.hpp"

namespace fibersql::detail {
namespace {

bool is_numeric_address(const std::string& host) {
  unsigned char buf[sizeof(in6_addr)];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

// getaddrinfo blocks (DNS, /etc/hosts, NSS plugins), so it runs on a short-lived thread and
// the fiber waits on an async_result. Connector/C would otherwise resolve inside its
// connect and stall every fiber of the hub.
std::string resolve(const mysql_connect_options& o) {
  async_result<std::string> answer;
  std::thread([answer, host = o.host]() mutable {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* list = nullptr;
    const int rc = getaddrinfo(host.c_str(), nullptr, &hints, &list);
    if (rc != 0 || list == nullptr) {
      answer.set_exception(std::make_exception_ptr(
          operational_error(2005, "HY000", "unknown MySQL server host '" + host + "' (" + gai_strerror(rc) + ")")));
      return;
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
    answer.set_value(text);
  }).detach();
  const auto limit = o.connect_timeout.count() > 0 ? std::chrono::duration_cast<clock::duration>(o.connect_timeout)
                                                   : clock::duration::max();
  try {
    return answer.get(limit);
  } catch (const timeout_error&) {
    throw operational_error(2005, "HY000", "resolving MySQL server host '" + o.host + "' timed out");
  }
}

void init_library() {
  // mysql_library_init is not thread-safe; mysql_init would call it lazily from any thread.
  static std::once_flag once;
  std::call_once(once, [] { mysql_library_init(0, nullptr, nullptr); });
}

void set_string(MYSQL* m, mysql_option option, const std::string& v) {
  if (!v.empty()) mysql_optionsv(m, option, v.c_str());
}

void apply_options(MYSQL* m, const mysql_connect_options& o) {
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
  my_bool on = 1;
  if (o.ssl) mysql_optionsv(m, MYSQL_OPT_SSL_ENFORCE, &on);
  if (o.ssl_verify_server_cert) mysql_optionsv(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &on);
  for (const std::string& cmd : o.init_commands) mysql_optionsv(m, MYSQL_INIT_COMMAND, cmd.c_str());
  // LOAD DATA LOCAL would let a hostile server read client files.
  unsigned off = 0;
  mysql_optionsv(m, MYSQL_OPT_LOCAL_INFILE, &off);
}

}  // namespace

std::shared_ptr<mysql_session> connect_session(const mysql_connect_options& o) {
  init_library();
  std::string address;
  if (o.unix_socket.empty()) address = is_numeric_address(o.host) ? o.host : resolve(o);
  mysql_handle handle(mysql_init(nullptr));
  if (!handle) throw operational_error(2008, "HY000", "MySQL client ran out of memory");
  MYSQL* m = handle.get();
  apply_options(m, o);
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
        return mysql_real_connect_start(&ret, m, host, o.user.c_str(), o.password.c_str(), db, o.port, socket, flags);
      },
      [&](int ready) { return mysql_real_connect_cont(&ret, m, ready); });
  if (ret == nullptr) session->raise();
  session->connected();
  return session;
}

}  // namespace fibersql::detail
