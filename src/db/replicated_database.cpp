// The read/write split over a GTID primary and replicas, with read-your-writes.
#include <fibersql/db/replicated_database.hpp>

#include <fibersql/mysql/gtid.hpp>
#include <fibersql/sql/errors.hpp>

namespace fibersql::db {
namespace {
// The fiber committed but its position could not be read: no replica is known to have it.
constexpr const char* unknown_position = "?";
}  // namespace

replicated_database::replicated_database(database primary, std::vector<database> replicas, replicated_options options)
    : primary_(std::move(primary)), replicas_(std::move(replicas)), options_(options) {
  if (replicas_.empty()) throw interface_error(0, "HY000", "replicated_database needs at least one replica");
}

result replicated_database::execute(std::string_view sql, std::span<const value> params) {
  result r = primary_.execute(sql, params);
  after_commit();
  return r;
}

result replicated_database::query(std::string_view sql, std::span<const value> params, read_from from) {
  const bool want_replica = from == read_from::replica || read_only_depth_.get() > 0;
  // is_connected() first: a read must not open (or wait for) a primary connection just to ask.
  const bool in_tx = primary_.is_connected() && primary_.connection().in_transaction();
  if (!want_replica || in_tx) return primary_.query(sql, params);
  return read_replica(sql, params);
}

result replicated_database::read_replica(std::string_view sql, std::span<const value> params) {
  database& replica = replicas_[next_replica_++ % replicas_.size()];
  const std::string& gtid = last_gtid_.get();
  if (gtid == unknown_position) {
    ++stats_.lag_fallbacks;
    return primary_.query(sql, params);
  }
  try {
    if (!gtid.empty()) {
      if (!wait_for_gtid(replica.connection(), gtid, options_.gtid_wait)) {
        ++stats_.lag_fallbacks;  // the replica lags more than we may wait: the primary has it
        return primary_.query(sql, params);
      }
      ++stats_.waited_reads;
    }
    result r = replica.query(sql, params);
    ++stats_.replica_reads;
    return r;
  } catch (const operational_error&) {
    // Refused, lost, not a replica any more: a read may go to the primary instead (it has
    // every commit). Writes never take this path.
    ++stats_.down_fallbacks;
    return primary_.query(sql, params);
  }
}

void replicated_database::record_position() {
  std::string gtid = last_commit_gtid(primary_.connection());
  if (!gtid.empty()) last_gtid_.get() = std::move(gtid);
}

void replicated_database::after_commit() noexcept {
  try {
    // Inside a transaction the position is known only at COMMIT (atomic() records it then).
    // A pooled primary that gave the connection back after the statement
    // (return_after_each_statement) cannot say which session committed: position unknown.
    if (!primary_.is_connected()) {
      last_gtid_.get() = unknown_position;
    } else if (!primary_.connection().in_transaction()) {
      record_position();
    }
  } catch (...) {
    // The commit stands; only its position is unknown. An error here must not replace the
    // atomic() outcome, and a replica read must not miss the commit: read the primary.
    try {
      last_gtid_.get() = unknown_position;
    } catch (...) {
    }
  }
}

}  // namespace fibersql::db
