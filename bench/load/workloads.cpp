#include "workloads.hpp"

namespace fibersql::bench {

workload_runner::workload_runner(const load_flags& flags, std::uint64_t seed) : flags_(flags), ids_(seed) {
  kind_ = flags.workload == "point_select" ? 0 : flags.workload == "point_select_prepared" ? 1 : 2;
  recover();
}

void workload_runner::recover() {
  if (conn_ && !conn_->is_broken()) {
    if (kind_ == 2) conn_->rollback();  // a failed transaction (deadlock, duplicate) ends here
    return;
  }
  point_stmt_.reset();
  conn_ = mysql::connection::open(flags_.url);
  if (kind_ == 1) point_stmt_.emplace(conn_->prepare(point_select_sql));
}

// Records the statement that started at t0 and restarts the clock for the next one.
void workload_runner::timed(hub_tally& tally, const std::atomic<bool>& stop, steady::time_point& t0) {
  const auto t1 = steady::now();
  if (!stop.load(std::memory_order_relaxed)) {
    tally.latency.add(static_cast<std::uint64_t>((t1 - t0).count()));
    tally.queries.store(tally.queries.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
  t0 = t1;
}

void workload_runner::point_select_text(unsigned id) {
  const result r = conn_->query(point_select_sql, {static_cast<std::int64_t>(id)});
  if (r.rows.size() != 1) throw std::runtime_error("point select found " + std::to_string(r.rows.size()) + " rows");
}

void workload_runner::step(hub_tally& tally, const std::atomic<bool>& stop) {
  auto t0 = steady::now();
  switch (kind_) {
    case 0:
      point_select_text(ids_.next(flags_.table_size));
      timed(tally, stop, t0);
      break;
    case 1: {
      const result r = point_stmt_->execute({static_cast<std::int64_t>(ids_.next(flags_.table_size))});
      if (r.rows.size() != 1) throw std::runtime_error("prepared point select found no row");
      timed(tally, stop, t0);
      break;
    }
    default:
      read_write(tally, stop);
      break;
  }
}

// sysbench oltp_read_write, reduced: 10 point selects, one range, an index and a non-index
// update, a delete and the re-insert of that row, in one transaction (text protocol).
void workload_runner::read_write(hub_tally& tally, const std::atomic<bool>& stop) {
  auto t0 = steady::now();
  const unsigned n = flags_.table_size;
  conn_->begin();
  timed(tally, stop, t0);
  for (int i = 0; i < 10; ++i) {
    point_select_text(ids_.next(n));
    timed(tally, stop, t0);
  }
  const auto lo = static_cast<std::int64_t>(ids_.next(n > 100 ? n - 100 : 1));
  conn_->query("SELECT c FROM sbtest1 WHERE id BETWEEN ? AND ?", {lo, lo + 99});
  timed(tally, stop, t0);
  conn_->query("UPDATE sbtest1 SET k=k+1 WHERE id=?", {static_cast<std::int64_t>(ids_.next(n))});
  timed(tally, stop, t0);
  conn_->query("UPDATE sbtest1 SET c=? WHERE id=?", {std::string("fibersql-") + std::to_string(ids_.next(1000000)),
                                                     static_cast<std::int64_t>(ids_.next(n))});
  timed(tally, stop, t0);
  const auto id = static_cast<std::int64_t>(ids_.next(n));
  conn_->query("DELETE FROM sbtest1 WHERE id=?", {id});
  timed(tally, stop, t0);
  conn_->query("INSERT INTO sbtest1 (id, k, c, pad) VALUES (?, ?, ?, ?)",
               {id, static_cast<std::int64_t>(ids_.next(n)), std::string(119, 'x'), std::string(59, 'y')});
  timed(tally, stop, t0);
  conn_->commit();
  timed(tally, stop, t0);
  if (!stop.load(std::memory_order_relaxed)) ++tally.transactions;
}

}  // namespace fibersql::bench
