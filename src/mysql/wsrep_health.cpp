// The Galera readiness check behind the `wsrep_check` URL option.
#include <fibersql/mysql/wsrep_health.hpp>

#include <fibersql/sql/errors.hpp>

namespace fibersql::mysql {

wsrep_health read_wsrep_health(fibersql::connection& c) {
  // Plain MariaDB reports wsrep_ready=OFF too (no provider): the provider's name tells them
  // apart. MySQL has none of these variables and answers no rows.
  const result r = c.query(
      "SHOW GLOBAL STATUS WHERE Variable_name IN "
      "('wsrep_provider_name', 'wsrep_ready', 'wsrep_cluster_status', 'wsrep_local_state_comment')");
  wsrep_health h;
  for (const row& line : r.rows) {
    const std::string name = line.get<std::string>(0);
    const std::string v = line.is_null(1) ? std::string() : line.get<std::string>(1);
    if (name == "wsrep_provider_name") h.galera = !v.empty();
    if (name == "wsrep_ready") h.ready_flag = v;
    if (name == "wsrep_cluster_status") h.cluster_status = v;
    if (name == "wsrep_local_state_comment") h.local_state = v;
  }
  h.ready = !h.galera || (h.ready_flag == "ON" && h.cluster_status == "Primary" && h.local_state == "Synced");
  return h;
}

void require_wsrep_ready(fibersql::connection& c) {
  const wsrep_health h = read_wsrep_health(c);
  if (h.ready) return;
  throw operational_error(1047, "08S01",
                          "not ready: wsrep_ready=" + h.ready_flag + ", wsrep_cluster_status=" + h.cluster_status +
                              ", wsrep_local_state_comment=" + h.local_state +
                              " (a Galera node outside a Primary component or not Synced: treat it as down)");
}

}  // namespace fibersql::mysql
