#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Connection settings for MySQL/MariaDB, usually parsed from a URL.
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace fibersql {

struct mysql_connect_options {
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
  // TLS passthrough to Connector/C (paths); `ssl` = true refuses a plaintext session.
  std::string ssl_ca{}, ssl_capath{}, ssl_cert{}, ssl_key{}, ssl_cipher{};
  bool ssl = false;
  bool ssl_verify_server_cert = false;
  // Statements run after every connect and every reset(), in order.
  std::vector<std::string> init_commands{};
  // Allows several ';'-separated statements in one query_all() call.
  bool multi_statements = false;
};

// The URL schemes of the MySQL/MariaDB backend: the one list the URL parser and
// db::database both use.
inline constexpr std::string_view mysql_url_schemes[] = {"mysql://", "mariadb://"};
// is_mysql_url: true if `url` starts with one of mysql_url_schemes.
constexpr bool is_mysql_url(std::string_view url) noexcept {
  for (std::string_view scheme : mysql_url_schemes)
    if (url.starts_with(scheme)) return true;
  return false;
}

// parse_mysql_url: reads `mysql://user:pass@host:port/db?opt=v&...` or
// `mysql://user@/db?socket=/path` (scheme `mariadb://` too). Percent-escapes are decoded in
// user, password, database and option values. Options: connect_timeout, read_timeout,
// write_timeout (seconds), charset, socket, ssl, ssl_ca, ssl_capath, ssl_cert, ssl_key,
// ssl_cipher, ssl_verify_server_cert, init_command (repeatable), multi_statements.
// Throws: interface_error naming the malformed part or the unknown option.
mysql_connect_options parse_mysql_url(std::string_view url);

// The URL without its password, for logs and error messages.
std::string redacted_url(const mysql_connect_options& options);

}  // namespace fibersql
FIBERSQL_PUBLIC_END
