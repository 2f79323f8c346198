// The dialect of a connection's server, from connection::server_version().
#include <fibersql/orm/dialect.hpp>

#include "detail/renderer.hpp"

namespace fibersql::orm {

dialect dialect_of(const server_info& server) {
  const version v{server.major, server.minor, server.patch};
  switch (server.flavor) {
    case server_flavor::sqlite:
      return sqlite(v);
    case server_flavor::mariadb:
      return mariadb(v);
    case server_flavor::mysql:
      return mysql(v);
    case server_flavor::unknown:
      break;
  }
  detail::fail_unsupported("the connection does not report its server (flavour unknown)");
}

}  // namespace fibersql::orm
