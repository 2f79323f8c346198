#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// A read/write split over a GTID primary and its replicas, with read-your-writes: writes and
// atomic() always run on the primary; a read goes to a replica only inside an explicit
// read_only() scope (or with read_from::replica), never by guessing from the SQL text. After a
// fiber's write, its replica reads first wait (MASTER_GTID_WAIT, bounded) until the replica
// has applied that write, and read the primary when the wait runs out or the replica is down.
#include <cstddef>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <fibersql/db/atomic_options.hpp>
#include <fibersql/db/database.hpp>
#include <fibersql/runtime/clock.hpp>
#include <fibersql/runtime/fiber_local.hpp>

namespace fibersql::db {

enum class read_from {
  primary,  // the default outside a read_only() scope
  replica,  // a replica, after the read-your-writes wait (falls back to the primary)
};

struct replicated_options {
  // Longest wait for a replica to apply the fiber's last write before reading the primary.
  clock::duration gtid_wait = std::chrono::milliseconds(500);
};

// What a fiber's replica reads did (process-wide counters of this database; hub thread only).
struct replicated_stats {
  std::size_t replica_reads = 0;   // reads served by a replica
  std::size_t waited_reads = 0;    // of those, reads that waited for the fiber's last write
  std::size_t lag_fallbacks = 0;   // reads sent to the primary: the wait ran out
  std::size_t down_fallbacks = 0;  // reads sent to the primary: the replica failed
};

class replicated_database {
 public:
  // replicated_database: over a primary and at least one replica (plain or pooled databases).
  // Throws: interface_error without a replica.
  replicated_database(database primary, std::vector<database> replicas, replicated_options options = {});

  database& primary() noexcept { return primary_; }

  // execute: a write (or any statement) on the primary. Outside a transaction it then reads
  // the session's @@last_gtid (one round trip) so the fiber's later replica reads wait for it.
  // Throws: the DB-API hierarchy; operational_error when the primary is down (no promotion).
  result execute(std::string_view sql, std::span<const value> params = {});
  result execute(std::string_view sql, std::initializer_list<value> params) {
    return execute(sql, std::span<const value>(params.begin(), params.size()));
  }

  // query: a read; on the primary unless `from` is replica or a read_only() scope is open in
  // this fiber (and no transaction is: inside atomic() everything stays on the primary).
  result query(std::string_view sql, std::span<const value> params = {}, read_from from = read_from::primary);
  result query(std::string_view sql, std::initializer_list<value> params, read_from from = read_from::primary) {
    return query(sql, std::span<const value>(params.begin(), params.size()), from);
  }

  // atomic: fn() in a transaction on the primary (database::atomic with its options); the
  // commit's GTID becomes the fiber's read-your-writes position.
  template <class F>
  auto atomic(F&& fn, const atomic_options& options = {}) {
    using R = decltype(primary_.atomic(std::forward<F>(fn), options));
    if constexpr (std::is_void_v<R>) {
      primary_.atomic(std::forward<F>(fn), options);
      after_commit();
    } else {
      auto r = primary_.atomic(std::forward<F>(fn), options);
      after_commit();
      return r;
    }
  }

  // read_only: while the returned scope lives, this fiber's query() calls go to a replica.
  class read_only_scope {
   public:
    explicit read_only_scope(replicated_database& db) : db_(&db) { ++db.read_only_depth_.get(); }
    ~read_only_scope() { --db_->read_only_depth_.get(); }
    read_only_scope(const read_only_scope&) = delete;
    read_only_scope& operator=(const read_only_scope&) = delete;

   private:
    replicated_database* db_;
  };
  [[nodiscard]] read_only_scope read_only() { return read_only_scope(*this); }

  const replicated_stats& stats() const noexcept { return stats_; }

 private:
  void record_position();
  // after_commit: records the commit's position; if the primary cannot say, the fiber's
  // replica reads go to the primary until its next recorded write (never a missed write).
  void after_commit() noexcept;
  result read_replica(std::string_view sql, std::span<const value> params);

  database primary_;
  std::vector<database> replicas_;
  replicated_options options_;
  std::size_t next_replica_ = 0;
  fiber_local<std::string> last_gtid_;  // the fiber's last committed position on the primary
  fiber_local<int> read_only_depth_;
  replicated_stats stats_;
};

}  // namespace fibersql::db
FIBERSQL_PUBLIC_END
