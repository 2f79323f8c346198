#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Connection settings for MySQL/MariaDB, usually parsed from a URL.
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <fibersql/mysql/multi_host.hpp>

namespace fibersql::mysql {

// What a connect promises about TLS (docs/security.md, "TLS modes"); MySQL's `--ssl-mode` words.
enum class ssl_mode {
  disabled,         // never TLS
  preferred,        // TLS when the server offers it, else plaintext; no certificate check
  required,         // TLS or no connect; no certificate check
  verify_ca,        // required + the certificate chains to ssl_ca/ssl_capath
  verify_identity,  // verify_ca + the certificate names the host written in the URL
};

struct connect_options {
  std::string user{};
  std::string password{};
  std::string host = "127.0.0.1";  // name or numeric address; names are resolved off the hub
  unsigned port = 3306;            // TCP port, ignored when unix_socket is set
  std::string unix_socket{};       // path; when set, connect over this socket instead of TCP
  std::string database{};          // default schema, may be empty
  // Whole seconds (Connector/C's unit); zero means no limit. Read/write bound each single
  // network wait, not the whole statement.
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds read_timeout{0};
  std::chrono::seconds write_timeout{0};
  std::string charset = "utf8mb4";
  // TLS. Paths name PEM files. A TLS option with ssl_mode disabled is refused at connect.
  mysql::ssl_mode ssl_mode = mysql::ssl_mode::disabled;
  std::string ssl_ca{}, ssl_capath{}, ssl_cert{}, ssl_key{};
  std::string ssl_cipher{};   // OpenSSL cipher list (TLS 1.2) and/or TLS 1.3 suite names, ':'-separated
  std::string tls_version{};  // "TLSv1.2", "TLSv1.3" or both, ','-separated; empty: the library's
  // Authentication (docs/security.md, "Authentication plugins").
  std::string server_public_key{};        // PEM path: the pinned RSA key for sha256/caching_sha2
  bool allow_server_public_key = false;   // trust an RSA key the server sends (opt-in)
  bool allow_cleartext_password = false;  // mysql_clear_password and dialog; ssl_mode >= required
  // Statements run after every connect and every reset(), in order.
  std::vector<std::string> init_commands{};
  // Allows several ';'-separated statements in one query_all() call.
  bool multi_statements = false;
  // After connecting, refuse a Galera node that is not ready (require_wsrep_ready: one
  // SHOW GLOBAL STATUS round trip). No effect on servers without a wsrep provider.
  bool wsrep_check = false;
  // Several hosts (a URL's "h1:p1,h2:p2"): a connect tries them by hosts_policy and host/port
  // above are ignored. Empty: the one host/port.
  std::vector<host_address> hosts;
  host_policy hosts_policy = host_policy::ordered;
  // A host whose connect failed is skipped this long, then probed in the background; each
  // failed probe doubles the wait up to host_backoff_max (host_health.hpp).
  std::chrono::milliseconds host_backoff{1000};
  std::chrono::milliseconds host_backoff_max{10000};
};

// The URL schemes of the MySQL/MariaDB backend: the one list the URL parser and
// db::database both use.
inline constexpr std::string_view url_prefixes[] = {"mysql://", "mariadb://"};
// is_url: true if `url` starts with one of url_prefixes.
constexpr bool is_url(std::string_view url) noexcept {
  for (std::string_view scheme : url_prefixes)
    if (url.starts_with(scheme)) return true;
  return false;
}

// parse_url: reads `mysql://user:pass@host:port/db?opt=v&...` or
// `mysql://user@/db?socket=/path` (scheme `mariadb://` too). Percent-escapes are decoded in
// user, password, database and option values. Options: connect_timeout, read_timeout,
// write_timeout (seconds), charset, socket, ssl_mode, ssl (alias: true = required),
// ssl_verify_server_cert (alias: true = verify_identity), ssl_ca, ssl_capath, ssl_cert, ssl_key,
// ssl_cipher, tls_version, server_public_key, allow_server_public_key, allow_cleartext_password,
// init_command (repeatable), multi_statements, wsrep_check,
// hosts (ordered|random|round_robin, with a host list "h1:p1,h2:p2"), host_backoff_ms,
// host_backoff_max_ms. Without ssl_mode, ssl_ca/ssl_capath mean
// verify_identity and the other TLS options mean required: never plaintext.
// Throws: interface_error naming the malformed part or the unknown option.
connect_options parse_url(std::string_view url);

// The URL without its user name and password ("mysql://***@host:port/db"), for logs.
std::string redacted_url(const connect_options& options);

}  // namespace fibersql::mysql
FIBERSQL_PUBLIC_END
