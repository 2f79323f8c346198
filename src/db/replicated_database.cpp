// The read/write split over a GTID primary and replicas (or Galera nodes), with read-your-writes.
#include <fibersql/db/replicated_database.hpp>

#include <fibersql/mysql/gtid.hpp>
#include <fibersql/sql/errors.hpp>

namespace fibersql::db {
namespace {
// The fiber committed but its position could not be read: no replica is known to have it.
constexpr const char* unknown_position = "?";
// MariaDB's statement-level form: the read waits, and the session's setting is left alone.
constexpr std::string_view causal_prefix = "SET STATEMENT wsrep_sync_wait=1 FOR ";
constexpr std::string_view causal_barrier_sql = "SET STATEMENT wsrep_sync_wait=1 FOR SELECT 1";

std::string causal(std::string_view sql) {
  std::string out;
  out.reserve(causal_prefix.size() + sql.size());
  out += causal_prefix;
  out += sql;
  return out;
}
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

bool replicated_database::wants_replica(read_from from) {
  if (from != read_from::replica && read_only_depth_.get() == 0) return false;
  // is_connected() first: a read must not open (or wait for) a primary connection just to ask.
  return !(primary_.is_connected() && primary_.connection().in_transaction());
}

result replicated_database::query(std::string_view sql, std::span<const value> params, read_from from) {
  if (!wants_replica(from)) return primary_.query(sql, params);
  // On Galera the wait rides on the read itself: one statement, no extra round trip.
  const bool is_causal = options_.sync == replica_sync::wsrep_sync_wait;
  const std::string causal_sql = is_causal ? causal(sql) : std::string();
  const std::string_view text = is_causal ? std::string_view(causal_sql) : sql;
  database& target = catch_up_replica(false);
  if (&target != &primary_) {
    try {
      result r = target.query(text, params);
      ++stats_.replica_reads;
      if (is_causal) ++stats_.waited_reads;
      return r;
    } catch (const operational_error&) {
      // Refused, lost, not a replica any more: the read runs on the primary below (it has
      // every commit), outside this handler. Writes never take this path.
    }
    ++stats_.down_fallbacks;
  }
  return primary_.query(text, params);
}

database& replicated_database::catch_up_replica(bool barrier) {
  database& replica = replicas_[next_replica_++ % replicas_.size()];
  if (options_.sync == replica_sync::wsrep_sync_wait) {
    if (!barrier) return replica;  // the caller puts the wait on its own statement
    try {
      causal_barrier(replica);
    } catch (const operational_error&) {
      ++stats_.down_fallbacks;
      return primary_;
    }
    ++stats_.waited_reads;
    return replica;
  }
  const std::string& gtid = last_gtid_.get();
  if (gtid == unknown_position) {
    ++stats_.lag_fallbacks;
    return primary_;
  }
  if (gtid.empty()) return replica;  // the fiber has written nothing yet: nothing to wait for
  try {
    if (!mysql::wait_for_gtid(replica.connection(), gtid, options_.gtid_wait)) {
      ++stats_.lag_fallbacks;  // the replica lags more than we may wait: the primary has it
      return primary_;
    }
  } catch (const operational_error&) {
    ++stats_.down_fallbacks;  // refused, lost: a read may go to the primary instead
    return primary_;
  }
  ++stats_.waited_reads;
  return replica;
}

void replicated_database::causal_barrier(database& db) {
  db.query(causal_barrier_sql);
}

void replicated_database::record_position() {
  std::string gtid = mysql::last_commit_gtid(primary_.connection());
  if (!gtid.empty()) last_gtid_.get() = std::move(gtid);
}

void replicated_database::forget_position() noexcept {
  try {
    last_gtid_.get() = unknown_position;
  } catch (...) {
    // Outside a fiber there is no position to forget: nothing ran through a fiber's session.
  }
}

void replicated_database::after_commit() noexcept {
  // Galera's wsrep_sync_wait needs no position: it waits for every certified write.
  if (options_.sync == replica_sync::wsrep_sync_wait) return;
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
    forget_position();
  }
}

}  // namespace fibersql::db
