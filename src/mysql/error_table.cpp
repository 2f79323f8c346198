// The one table that maps MySQL/MariaDB errors onto the DB-API hierarchy: errno first,
// SQLSTATE class second (libpqxx's single switch, PyMySQL's error map).
#include <array>
#include <string>

#include "detail/session.hpp"

namespace fibersql::mysql::detail {
namespace {

enum class kind {
  operational,
  operational_keeps,
  integrity,
  programming,
  data,
  not_supported,
  interface,
  internal,
  database
};

// An operational error after which the session is still in sync (deadlock, lock wait timeout,
// a statement stopped by KILL QUERY): the statement failed, the connection did not.
class recoverable_operational_error : public operational_error {
 public:
  using operational_error::operational_error;
  bool poisons_connection() const noexcept override { return false; }
};

struct entry {
  unsigned code;
  kind k;
};

// Errno first. Client errors (2000-2999) not listed here fall through to "operational".
constexpr std::array table{
    // lost or refused sessions, resources, access
    entry{1040, kind::operational},        // too many connections
    entry{1044, kind::operational},        // access denied to database
    entry{1045, kind::operational},        // access denied (password)
    entry{1053, kind::operational},        // server shutdown in progress
    entry{1081, kind::operational},        // can't create IP socket
    entry{1129, kind::operational},        // host blocked
    entry{1130, kind::operational},        // host not allowed
    entry{1152, kind::operational},        // aborted connection
    entry{1153, kind::operational},        // packet too large
    entry{1158, kind::operational},        // net read error
    entry{1159, kind::operational},        // net read timeout
    entry{1160, kind::operational},        // net write error
    entry{1161, kind::operational},        // net write timeout
    entry{1184, kind::operational},        // aborted new connection
    entry{1203, kind::operational},        // too many user connections
    entry{1927, kind::operational},        // connection killed
    entry{4031, kind::operational},        // disconnected by server (idle timeout)
    entry{5010, kind::operational},        // auth plugin not allowed (MARIADB_OPT_RESTRICTED_AUTH)
    entry{1205, kind::operational_keeps},  // lock wait timeout
    entry{1213, kind::operational_keeps},  // deadlock
    entry{1317, kind::operational_keeps},  // query interrupted (KILL QUERY)
    entry{1969, kind::operational_keeps},  // max_statement_time exceeded
    entry{3024, kind::operational_keeps},  // MySQL max_execution_time exceeded
    // client-side misuse
    entry{2014, kind::interface},  // commands out of sync
    entry{2030, kind::interface},  // statement not prepared
    entry{2031, kind::interface},  // no data for prepared parameters
    entry{2034, kind::interface},  // invalid parameter number
    entry{2057, kind::interface},  // statement result set changed
    // constraints
    entry{1022, kind::integrity},
    entry{1048, kind::integrity},
    entry{1062, kind::integrity},
    entry{1169, kind::integrity},
    entry{1216, kind::integrity},
    entry{1217, kind::integrity},
    entry{1451, kind::integrity},
    entry{1452, kind::integrity},
    entry{1557, kind::integrity},
    entry{1586, kind::integrity},
    entry{4025, kind::integrity},
    // statements that can never work
    entry{1049, kind::programming},
    entry{1050, kind::programming},
    entry{1051, kind::programming},
    entry{1054, kind::programming},
    entry{1060, kind::programming},
    entry{1061, kind::programming},
    entry{1064, kind::programming},
    entry{1091, kind::programming},
    entry{1110, kind::programming},
    entry{1146, kind::programming},
    entry{1149, kind::programming},
    entry{1210, kind::programming},
    entry{1243, kind::programming},
    entry{1582, kind::programming},
    entry{1583, kind::programming},
    // values
    entry{1264, kind::data},
    entry{1265, kind::data},
    entry{1292, kind::data},
    entry{1365, kind::data},
    entry{1366, kind::data},
    entry{1367, kind::data},
    entry{1406, kind::data},
    entry{1416, kind::data},
    entry{1690, kind::data},
    // not supported
    entry{1235, kind::not_supported},
    entry{1289, kind::not_supported},
};

kind by_sqlstate_class(std::string_view sqlstate) {
  const std::string_view cls = sqlstate.substr(0, 2);
  if (cls == "08") return kind::operational;  // connection exception
  if (cls == "23") return kind::integrity;
  if (cls == "42") return kind::programming;
  if (cls == "22") return kind::data;
  if (cls == "0A") return kind::not_supported;
  if (cls == "40") return kind::operational_keeps;  // transaction rollback
  if (cls == "XA") return kind::internal;
  return kind::database;
}

// What the client knows beyond the errno: a lost connection is a timeout when the client's
// own wait expired; these server errors say the server ended the session or statement.
struct reason_entry {
  unsigned code;
  error_reason reason;
};
constexpr std::array reasons{
    reason_entry{1927, error_reason::killed_by_server},  // connection killed (KILL)
    reason_entry{1317, error_reason::killed_by_server},  // query interrupted (KILL QUERY)
    reason_entry{1053, error_reason::killed_by_server},  // server shutdown in progress
    reason_entry{4031, error_reason::killed_by_server},  // disconnected: idle too long
    reason_entry{1969, error_reason::timeout},           // max_statement_time exceeded
    reason_entry{3024, error_reason::timeout},           // MySQL max_execution_time exceeded
    reason_entry{1205, error_reason::timeout},           // lock wait timeout
    reason_entry{1159, error_reason::timeout},           // server: net read timeout
    reason_entry{1161, error_reason::timeout},           // server: net write timeout
    reason_entry{2013, error_reason::connection_lost},   // lost connection during query
    reason_entry{2006, error_reason::connection_lost},   // server has gone away
    reason_entry{2055, error_reason::connection_lost},   // lost connection (system error)
    reason_entry{2002, error_reason::connection_lost},   // cannot connect (socket)
    reason_entry{2003, error_reason::connection_lost},   // cannot connect (TCP)
    reason_entry{2026, error_reason::connection_lost},   // TLS error
};

kind classify(unsigned code, std::string_view sqlstate) {
  for (const entry& e : table) {
    if (e.code == code) return e.k;
  }
  // Any other client-side error means the client gave up mid-protocol.
  if (mysql_session::is_client_error(code)) return kind::operational;
  return by_sqlstate_class(sqlstate);
}

}  // namespace

error_reason mysql_error_reason(unsigned code, bool client_timed_out) noexcept {
  for (const reason_entry& e : reasons) {
    if (e.code != code) continue;
    return e.reason == error_reason::connection_lost && client_timed_out ? error_reason::timeout : e.reason;
  }
  return error_reason::none;
}

[[noreturn]] void raise_mysql_error(unsigned code, std::string_view sqlstate, std::string_view message,
                                    error_reason reason) {
  std::string state(sqlstate.size() == 5 ? sqlstate : std::string_view("HY000"));
  std::string text = "MySQL error " + std::to_string(code) + " (" + state + "): " + std::string(message);
  switch (classify(code, state)) {
    case kind::operational:
      throw operational_error(code, state, text, reason);
    case kind::operational_keeps:
      throw recoverable_operational_error(code, state, text, reason);
    case kind::integrity:
      throw integrity_error(code, state, text, reason);
    case kind::programming:
      throw programming_error(code, state, text, reason);
    case kind::data:
      throw data_error(code, state, text, reason);
    case kind::not_supported:
      throw not_supported_error(code, state, text, reason);
    case kind::interface:
      throw interface_error(code, state, text, reason);
    case kind::internal:
      throw internal_error(code, state, text, reason);
    case kind::database:
      break;
  }
  throw database_error(code, state, text, reason);
}

}  // namespace fibersql::mysql::detail
