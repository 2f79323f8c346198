#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Galera node health: a node that answers but is not ready (no quorum, still joining, not
// Synced) must be treated as down. One cheap check, meant for connect or validation time,
// never per statement.
#include <string>

#include <fibersql/sql/connection.hpp>

namespace fibersql::mysql {

struct wsrep_health {
  bool galera = false;         // a wsrep provider is loaded (false on plain MariaDB and MySQL)
  bool ready = true;           // wsrep_ready ON, Primary component, Synced (true if !galera)
  std::string ready_flag;      // wsrep_ready: "ON" / "OFF"
  std::string cluster_status;  // wsrep_cluster_status: "Primary", "non-Primary", "Disconnected"
  std::string local_state;     // wsrep_local_state_comment: "Synced", "Joiner", "Donor/Desynced"...
};

// read_wsrep_health: one SHOW GLOBAL STATUS round trip on `c`.
// Throws: the DB-API hierarchy (as connection::query).
wsrep_health read_wsrep_health(fibersql::connection& c);

// require_wsrep_ready: returns if `c` is not a Galera node or is a ready one; otherwise throws
// operational_error 1047 (08S01, as the server's own "WSREP has not yet prepared node for
// application use") whose message says "not ready: wsrep ..." with the three values.
void require_wsrep_ready(fibersql::connection& c);

}  // namespace fibersql::mysql
FIBERSQL_PUBLIC_END
