#pragma once
// The load tool's workloads over one fibersql MySQL connection: sysbench's point select (text
// and prepared) and a reduced oltp_read_write transaction, on sbtest1.
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <fibersql/mysql/connection.hpp>

#include "bench_support.hpp"

namespace fibersql::bench {

// Counts one hub's work: written only by that hub's fibers (one thread); `queries` is atomic
// only so that the progress line on another hub may read it.
struct hub_tally {
  latency_histogram latency;
  std::atomic<std::uint64_t> queries{0};
  std::uint64_t transactions = 0;
  std::uint64_t errors = 0;
};

class workload_runner {
 public:
  // Opens the connection and prepares what the workload needs. Throws: as mysql::connection::open.
  workload_runner(const load_flags& flags, std::uint64_t seed);
  // step: one unit of work (a statement, or a transaction for read_write); each statement
  // that ends before `stop` is set is timed into `tally`. Throws: the DB-API hierarchy.
  void step(hub_tally& tally, const std::atomic<bool>& stop);
  // recover: after an error, reopens the connection if the error broke it.
  void recover();

 private:
  static void timed(hub_tally& tally, const std::atomic<bool>& stop, steady::time_point& t0);
  void point_select_text(unsigned id);
  void read_write(hub_tally& tally, const std::atomic<bool>& stop);

  const load_flags& flags_;
  id_source ids_;
  std::unique_ptr<mysql::connection> conn_;
  std::optional<mysql::statement> point_stmt_;
  int kind_ = 0;  // 0 point_select, 1 point_select_prepared, 2 read_write
};

}  // namespace fibersql::bench
