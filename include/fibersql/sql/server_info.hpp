#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Which server a connection talks to, and its version: what the ORM needs to pick a dialect
// without running a query.
#include <string_view>

namespace fibersql {

enum class server_flavor { unknown, sqlite, mariadb, mysql };

struct server_info {
  server_flavor flavor = server_flavor::unknown;
  int major = 0;
  int minor = 0;
  int patch = 0;
  friend bool operator==(const server_info&, const server_info&) = default;
};

// parse_server_info: MySQL's version string ("8.0.36", "10.11.6-MariaDB-0+deb12u1", or the
// "5.5.5-10.11.6-MariaDB" a MariaDB server announces to old clients) -> flavour and version;
// unparsable parts stay 0.
server_info parse_server_info(std::string_view text) noexcept;

}  // namespace fibersql
FIBERSQL_PUBLIC_END
