#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// A read/write split over a GTID primary and its replicas (or Galera nodes), with
// read-your-writes: writes and atomic() always run on the primary; a read goes to a replica
// only inside an explicit read_only() scope (or with read_from::replica), never by guessing
// from the SQL text. After a fiber's write, its replica reads first wait (MASTER_GTID_WAIT,
// bounded) until the replica has applied that write, and read the primary when the wait runs
// out or the replica is down. On Galera the wait is wsrep_sync_wait, for those reads only.
// read(fn) / write(fn) run code that takes a database& (the ORM's terminals) on the route.
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

// How a replica read catches up with the writes before it.
enum class replica_sync {
  // GTID replication: MASTER_GTID_WAIT on the fiber's last commit, bounded by gtid_wait.
  gtid_wait,
  // Galera: the read runs with wsrep_sync_wait=1 (the node first applies every write certified
  // cluster-wide before the read), bounded by the provider's repl.causal_read_timeout. No
  // @@last_gtid round trip after writes; every read that asks for a replica pays the wait.
  wsrep_sync_wait,
};

struct replicated_options {
  // Longest wait for a replica to apply the fiber's last write before reading the primary.
  clock::duration gtid_wait = std::chrono::milliseconds(500);
  replica_sync sync = replica_sync::gtid_wait;
};

// What a fiber's replica reads did (process-wide counters of this database; hub thread only).
struct replicated_stats {
  std::size_t replica_reads = 0;   // reads served by a replica
  std::size_t waited_reads = 0;    // of those, reads that waited (the fiber's last write, or wsrep_sync_wait)
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

  // read: fn(database&) on the database this fiber's read is routed to, by the rules of
  // query(): a replica (after the read-your-writes wait) when `from` is replica or a
  // read_only() scope is open and no transaction is, else the primary. For code that takes a
  // database&, such as the ORM: db.read([&](database& d) { return q.all(d); }, read_from::replica).
  // fn must only read: if it fails on the replica with an operational_error (refused, lost),
  // it runs again on the primary, as query() does. Returns what fn returns.
  // Throws: what fn throws on the primary; the DB-API hierarchy.
  template <class F>
  auto read(F&& fn, read_from from = read_from::primary) -> std::invoke_result_t<F&, database&> {
    if (!wants_replica(from)) return fn(primary_);
    database& target = catch_up_replica(true);
    if (&target == &primary_) return read_primary_fallback(fn);
    try {
      if constexpr (std::is_void_v<std::invoke_result_t<F&, database&>>) {
        fn(target);
        ++stats_.replica_reads;
        return;
      } else {
        auto r = fn(target);
        ++stats_.replica_reads;
        return r;
      }
    } catch (const operational_error&) {
      // Refused or lost: the read runs again on the primary below, outside this handler.
    }
    ++stats_.down_fallbacks;
    return read_primary_fallback(fn);
  }

  // write: fn(database&) on the primary, then, outside a transaction, the fiber's
  // read-your-writes position is recorded as after execute(). For ORM writes:
  // db.write([&](database& d) { orm::insert(d, row); }). Inside atomic() the commit records it.
  // If fn throws, part of it may have committed: the fiber's replica reads go to the primary
  // until its next recorded write. Returns what fn returns.
  template <class F>
  auto write(F&& fn) -> std::invoke_result_t<F&, database&> {
    try {
      if constexpr (std::is_void_v<std::invoke_result_t<F&, database&>>) {
        fn(primary_);
        after_commit();
        return;
      } else {
        auto r = fn(primary_);
        after_commit();
        return r;
      }
    } catch (...) {
      forget_position();
      throw;
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
  // wants_replica: `from` or a read_only() scope asks for a replica and no transaction is open.
  bool wants_replica(read_from from);
  // catch_up_replica: the next replica once it has caught up (MASTER_GTID_WAIT on the fiber's
  // last write; with wsrep_sync_wait and `barrier`, a causal SELECT 1 on it), or the primary
  // when the wait ran out, the position is unknown or the replica failed.
  database& catch_up_replica(bool barrier);
  // read_primary_fallback: fn on the primary for a read that asked for a replica (on Galera
  // still causal: the primary may be a multi-host URL over every node).
  template <class F>
  auto read_primary_fallback(F& fn) -> std::invoke_result_t<F&, database&> {
    if (options_.sync == replica_sync::wsrep_sync_wait) causal_barrier(primary_);
    return fn(primary_);
  }
  // causal_barrier: SET STATEMENT wsrep_sync_wait=1 FOR SELECT 1 on db: its server then has
  // every write certified before it, for this and any later read there.
  static void causal_barrier(database& db);
  void forget_position() noexcept;
  void record_position();
  // after_commit: records the commit's position; if the primary cannot say, the fiber's
  // replica reads go to the primary until its next recorded write (never a missed write).
  void after_commit() noexcept;

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
