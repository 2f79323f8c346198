// pool_bench: the cost of borrowing and returning a pooled connection, without a server.
//
// Definitions (docs/performance.md, "Pool", repeats them with the figures):
//
// * uncontended: one fiber does acquire() then release() on a pool of SQLite ":memory:"
//   connections (one is ever open). One iteration is one acquire plus one release, with the
//   default options (so the return marks a reset, and the next checkout runs SQLite's
//   reset(), which is a no-op outside a transaction: the pool's own path is what is timed).
// * uncontended_no_reset: the same with reset_on_return = false (no backend call at all).
// * contended/1000 fibers, max_open 20: 1,000 worker fibers each loop on acquire(), yield()
//   once while holding the connection (so others queue up behind it), release(). One
//   iteration is 10,000 such borrows shared by all workers; items_per_second counts borrows.
// * semaphore_baseline/1000/20: the same loop with fibersql::semaphore(20) instead of the pool:
//   what the runtime's FIFO hand-off costs by itself, so the difference is the pool's.
//   semaphore_timed_baseline waits with a 30 s limit, as acquire() waits with acquire_timeout
//   (each timed wait arms and disarms a libev timer).
//
// Set-up (the pool, the hub, spawning the workers) stays outside the timed loop.
#include <cstddef>
#include <memory>
#include <vector>

#include <benchmark/benchmark.h>

#include <fibersql/pool/pool.hpp>
#include <fibersql/runtime/runtime.hpp>
#include <fibersql/sqlite/connection.hpp>

namespace {

using fibersql::pool::connection_pool;
using fibersql::pool::pool_options;

std::unique_ptr<fibersql::connection> open_memory() {
  return fibersql::sqlite::connection::open(":memory:");
}

void run_uncontended(benchmark::State& state, pool_options options) {
  fibersql::run([&] {
    connection_pool pool(open_memory, std::move(options));
    { auto warm = pool.acquire(); }
    for (auto _ : state) {
      auto c = pool.acquire();
      benchmark::DoNotOptimize(&c.get());
    }
    state.counters["opened"] = static_cast<double>(pool.stats().opened);
  });
}

void uncontended(benchmark::State& state) {
  run_uncontended(state, {});
}
void uncontended_no_reset(benchmark::State& state) {
  run_uncontended(state, {.reset_on_return = false});
}

constexpr std::size_t borrows_per_iteration = 10'000;

// Runs `workers` fibers that each repeatedly call `borrow` until the iteration's budget is
// spent; the state loop hands out budgets and waits for them to be used up.
template <class Borrow>
void run_contended(benchmark::State& state, std::size_t workers, Borrow borrow) {
  std::size_t budget = 0;       // borrows left to start in this iteration
  std::size_t outstanding = 0;  // borrows not yet finished in this iteration
  fibersql::event go, done;
  std::vector<fibersql::fiber> fibers;
  for (std::size_t i = 0; i < workers; ++i) {
    fibers.push_back(fibersql::spawn([&] {
      for (;;) {
        while (budget == 0) go.wait();
        if (--budget == 0) go.clear();
        borrow();
        if (--outstanding == 0) done.set();
      }
    }));
  }
  fibersql::this_fiber::yield();  // every worker parks on `go`
  for (auto _ : state) {
    done.clear();
    budget = outstanding = borrows_per_iteration;
    go.set();
    done.wait();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * borrows_per_iteration));
  for (const fibersql::fiber& f : fibers) f.kill();
}

void contended(benchmark::State& state) {
  const auto workers = static_cast<std::size_t>(state.range(0));
  const auto max_open = static_cast<std::size_t>(state.range(1));
  fibersql::run([&] {
    connection_pool pool(open_memory, {.max_open = max_open, .max_idle = max_open});
    run_contended(state, workers, [&] {
      auto c = pool.acquire();
      fibersql::this_fiber::yield();
    });
    const auto s = pool.stats();
    state.counters["opened"] = static_cast<double>(s.opened);
    state.counters["waited_pct"] =
        100.0 * static_cast<double>(s.wait_count) / static_cast<double>(state.iterations() * borrows_per_iteration + 1);
  });
}

// `timed`: wait with a 30 s limit as the pool does (acquire_timeout), which arms a timer per wait.
void run_semaphore(benchmark::State& state, bool timed) {
  const auto workers = static_cast<std::size_t>(state.range(0));
  const auto limit = static_cast<std::size_t>(state.range(1));
  fibersql::run([&] {
    fibersql::semaphore slots(limit);
    run_contended(state, workers, [&] {
      if (timed) {
        slots.acquire(std::chrono::seconds(30));
      } else {
        slots.acquire();
      }
      fibersql::this_fiber::yield();
      slots.release();
    });
  });
}

void semaphore_baseline(benchmark::State& state) {
  run_semaphore(state, false);
}
void semaphore_timed_baseline(benchmark::State& state) {
  run_semaphore(state, true);
}

}  // namespace

BENCHMARK(uncontended);
BENCHMARK(uncontended_no_reset);
BENCHMARK(contended)->Args({1000, 20})->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(semaphore_baseline)->Args({1000, 20})->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(semaphore_timed_baseline)->Args({1000, 20})->Unit(benchmark::kMicrosecond)->UseRealTime();

BENCHMARK_MAIN();
