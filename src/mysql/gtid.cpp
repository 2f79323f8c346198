// Read-your-writes building blocks on MariaDB GTIDs: @@last_gtid and MASTER_GTID_WAIT.
#include <fibersql/mysql/gtid.hpp>

#include <chrono>
#include <cstdint>
#include <optional>

#include <fibersql/sql/errors.hpp>

namespace fibersql::mysql {

std::string last_commit_gtid(fibersql::connection& primary) {
  const result r = primary.query("SELECT @@last_gtid");
  if (r.rows.empty() || r.rows.at(0).is_null(0)) return {};
  return r.rows.at(0).get<std::string>(0);
}

bool wait_for_gtid(fibersql::connection& replica, std::string_view gtid, clock::duration limit) {
  if (limit < clock::duration::zero()) {
    throw interface_error(0, "HY000", "wait_for_gtid: the limit must not be negative");
  }
  if (gtid.empty()) return true;
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(limit).count();
  const double seconds = static_cast<double>(ms) / 1000.0;
  const value params[] = {value(std::string(gtid)), value(seconds)};
  const result r = replica.query("SELECT MASTER_GTID_WAIT(?, ?)", params);
  const auto answer = r.rows.at(0).get<std::optional<std::int64_t>>(0);
  if (!answer) {
    throw operational_error(0, "HY000",
                            "wait_for_gtid: the server cannot wait for GTID position '" + std::string(gtid) +
                                "' (MASTER_GTID_WAIT returned NULL: not a replica, or a malformed position)");
  }
  return *answer == 0;  // -1: timed out
}

}  // namespace fibersql::mysql
