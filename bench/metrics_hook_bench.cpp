// metrics_hook_bench: what the statement hook costs (issue 17). statement_metrics::record alone
// (1 and 2 threads sharing one instance: relaxed atomics, no lock), and a sqlite::memory:
// `SELECT 1` round trip through db::database without a hook, with statement_metrics, and with
// statement_metrics + slow_statement_log (threshold not reached: the usual case).
#include <benchmark/benchmark.h>

#include <fibersql/db/database.hpp>
#include <fibersql/metrics/slow_statement_log.hpp>
#include <fibersql/metrics/statement_metrics.hpp>
#include <fibersql/runtime/runtime.hpp>

using namespace fibersql;
using namespace std::chrono_literals;

namespace {

metrics::statement_metrics shared_metrics;

void record_only(benchmark::State& state) {
  db::statement_event e;
  e.sql = "SELECT 1";
  e.duration = 42us;
  for (auto _ : state) {
    shared_metrics.record(e);
    benchmark::ClobberMemory();
  }
}
BENCHMARK(record_only)->Threads(1)->Threads(2);

enum class hook_kind { none, metrics, metrics_and_slow_log };

void select_1(benchmark::State& state) {
  const auto kind = static_cast<hook_kind>(state.range(0));
  metrics::statement_metrics m;
  metrics::slow_statement_log slow({.threshold = 1s});
  db::database_options o;
  if (kind == hook_kind::metrics) o.on_statement = m.hook();
  if (kind == hook_kind::metrics_and_slow_log) {
    o.on_statement = [&](const db::statement_event& e) {
      m.record(e);
      slow.record(e);
    };
  }
  db::database database{"sqlite::memory:", o};
  fibersql::run([&] {
    for (auto _ : state) benchmark::DoNotOptimize(database.query("SELECT 1"));
  });
  state.SetLabel(kind == hook_kind::none      ? "no hook"
                 : kind == hook_kind::metrics ? "statement_metrics"
                                              : "metrics + slow log");
}
BENCHMARK(select_1)->Arg(0)->Arg(1)->Arg(2);

}  // namespace

BENCHMARK_MAIN();
