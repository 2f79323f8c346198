#pragma once
// The baselines' connect: not measured, so Connector/C's blocking form is used for it.
#include <mysql.h>

#include <stdexcept>
#include <string>

#include <fibersql/mysql/options.hpp>

namespace fibersql::bench {

// Opens a connection for `o` (TCP, or the unix socket when `o.unix_socket` is set); with
// `nonblocking` the handle is set up for the `_start`/`_cont` calls. Throws std::runtime_error
// with Connector/C's message.
inline MYSQL* blocking_connect(const mysql::connect_options& o, bool nonblocking) {
  MYSQL* m = mysql_init(nullptr);
  if (m == nullptr) throw std::runtime_error("mysql_init: out of memory");
  if (nonblocking) mysql_options(m, MYSQL_OPT_NONBLOCK, nullptr);
  // Connector/C takes the unix-socket route only for host "localhost".
  const bool unix_socket = !o.unix_socket.empty();
  if (!mysql_real_connect(m, unix_socket ? "localhost" : o.host.c_str(), o.user.c_str(), o.password.c_str(),
                          o.database.c_str(), o.port, unix_socket ? o.unix_socket.c_str() : nullptr, 0)) {
    std::string why = mysql_error(m);
    mysql_close(m);
    throw std::runtime_error(why);
  }
  return m;
}

}  // namespace fibersql::bench
