#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Statement counters fed by database_options::on_statement: count, errors, a duration histogram.
#include <atomic>
#include <cstdint>
#include <functional>

#include <fibersql/db/statement_event.hpp>
#include <fibersql/metrics/histogram.hpp>

namespace fibersql::metrics {

struct statement_snapshot {
  std::uint64_t count = 0;   // statements run (successful or not)
  std::uint64_t errors = 0;  // of `count`: those that threw
  histogram_snapshot duration{};
};

class statement_metrics {
 public:
  // record: counts one statement. Fiber-safety: any thread; lock-free (relaxed atomics only),
  // so one instance may serve the databases of every hub.
  void record(const db::statement_event& e) noexcept;
  // hook: a database_options::on_statement that records into *this (which must outlive every
  // database using it).
  std::function<void(const db::statement_event&)> hook() noexcept {
    return [this](const db::statement_event& e) { record(e); };
  }
  statement_snapshot snapshot() const noexcept;

 private:
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> errors_{0};
  duration_histogram duration_;
};

}  // namespace fibersql::metrics
FIBERSQL_PUBLIC_END
