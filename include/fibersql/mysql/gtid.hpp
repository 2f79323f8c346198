#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Read-your-writes on MariaDB GTID replication, as two building blocks: the position a primary
// session just committed at, and a bounded wait until a replica has applied it. A router that
// sends a fiber's reads to a replica after its commit calls both (docs/cluster.md).
#include <string>
#include <string_view>

#include <fibersql/runtime/clock.hpp>
#include <fibersql/sql/connection.hpp>

namespace fibersql::mysql {

// last_commit_gtid: the GTID of the last transaction this session committed on a MariaDB
// primary (`@@last_gtid`, e.g. "0-1-42"); empty if the session has committed nothing yet.
// One round trip. Throws: the DB-API hierarchy (as connection::query).
std::string last_commit_gtid(fibersql::connection& primary);

// wait_for_gtid: waits on `replica` (MASTER_GTID_WAIT) until it has applied `gtid` (a GTID
// position as last_commit_gtid returns, or several comma-separated), at most `limit` (whole
// milliseconds; the server's wait, so a fiber timeout around it ends it sooner). True once
// applied, false when `limit` passed first — the caller then reads from the primary. An empty
// gtid is applied already.
// Throws: interface_error for a negative limit; the DB-API hierarchy (a replica that is not a
// replica answers NULL: operational_error naming the position).
bool wait_for_gtid(fibersql::connection& replica, std::string_view gtid, clock::duration limit);

}  // namespace fibersql::mysql
FIBERSQL_PUBLIC_END
