// runtime_bench: fibersql's fiber runtime against Boost.Fiber, the same work in one binary.
//
// Definitions (docs/performance.md, "Runtime", repeats them with the figures):
//
// * switch round trip: two fibers, A and B, on one thread, each looping on yield(). One
//   benchmark iteration is one yield() of A and its return, during which B yields once. So an
//   iteration costs two yields; fibersql does them as fiber -> hub -> fiber (four stack
//   switches), Boost.Fiber switches fiber -> fiber. A and B are both spawned fibers in both
//   libraries; the state loop runs in A.
// * spawn + join: a fiber spawns a fiber whose body is one increment, then joins it. One
//   iteration is one spawn and one join. Both libraries use a 64 KiB stack (fibersql's
//   default; Boost.Fiber gets its default stack allocator, fixedsize_stack, at that size).
// * sleeping_100k: RSS growth (resident pages of /proc/self/statm) for 100,000 fibers that
//   all sleep at once on the default stack size; counters rss_mib and kib_per_fiber.
//
// Set-up stays outside the timed loop: each benchmark run makes one hub (fibersql::run) or
// uses the thread's one Boost.Fiber scheduler (default round_robin), and the state loop runs
// inside a fiber.
#include <malloc.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <functional>
#include <memory>
#include <vector>

#include <benchmark/benchmark.h>
#include <boost/fiber/all.hpp>

#include <fibersql/runtime/runtime.hpp>

namespace {

// Stack size given to Boost.Fiber: fibersql's default, so both touch the same memory.
constexpr std::size_t boost_stack_size = fibersql::spawn_options{}.stack_size;

boost::fibers::fiber boost_spawn(std::function<void()> fn) {
  return boost::fibers::fiber(std::allocator_arg, boost::fibers::fixedsize_stack(boost_stack_size), std::move(fn));
}

// Runs `body` in a Boost.Fiber fiber on this thread's scheduler and waits for it, so the state
// loop runs in a fiber as it does under fibersql::run.
void boost_run(std::function<void()> body) {
  boost_spawn(std::move(body)).join();
}

// ---- switch round trip -------------------------------------------------------------------

void fibersql_switch_roundtrip(benchmark::State& state) {
  fibersql::run([&] {
    bool stop = false;
    std::uint64_t peer_yields = 0;
    fibersql::fiber peer = fibersql::spawn([&] {
      while (!stop) {
        benchmark::DoNotOptimize(++peer_yields);
        fibersql::this_fiber::yield();
      }
    });
    fibersql::this_fiber::yield();  // let the peer reach its loop
    for (auto _ : state) {
      fibersql::this_fiber::yield();
      benchmark::DoNotOptimize(peer_yields);
    }
    stop = true;
    peer.join();
  });
  state.SetItemsProcessed(state.iterations());
}

void boost_fiber_switch_roundtrip(benchmark::State& state) {
  boost_run([&] {
    bool stop = false;
    std::uint64_t peer_yields = 0;
    boost::fibers::fiber peer = boost_spawn([&] {
      while (!stop) {
        benchmark::DoNotOptimize(++peer_yields);
        boost::this_fiber::yield();
      }
    });
    boost::this_fiber::yield();
    for (auto _ : state) {
      boost::this_fiber::yield();
      benchmark::DoNotOptimize(peer_yields);
    }
    stop = true;
    peer.join();
  });
  state.SetItemsProcessed(state.iterations());
}

// ---- spawn + join ------------------------------------------------------------------------

void fibersql_spawn_join(benchmark::State& state) {
  fibersql::run([&] {
    std::uint64_t ran = 0;
    for (auto _ : state) {
      fibersql::fiber f = fibersql::spawn([&ran] { benchmark::DoNotOptimize(++ran); });
      f.join();
    }
    if (ran != static_cast<std::uint64_t>(state.iterations())) state.SkipWithError("a fiber did not run");
  });
  state.SetItemsProcessed(state.iterations());
}

void boost_fiber_spawn_join(benchmark::State& state) {
  boost_run([&] {
    std::uint64_t ran = 0;
    for (auto _ : state) {
      boost::fibers::fiber f = boost_spawn([&ran] { benchmark::DoNotOptimize(++ran); });
      f.join();
    }
    if (ran != static_cast<std::uint64_t>(state.iterations())) state.SkipWithError("a fiber did not run");
  });
  state.SetItemsProcessed(state.iterations());
}

// ---- 100,000 sleeping fibers -------------------------------------------------------------

constexpr std::size_t sleepers = 100'000;

// Resident set size of this process in bytes (second field of /proc/self/statm, in pages).
double rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t size_pages = 0, resident_pages = 0;
  statm >> size_pages >> resident_pages;
  return static_cast<double>(resident_pages) * static_cast<double>(::sysconf(_SC_PAGESIZE));
}

// Spawns 100,000 fibers with default options that each sleep for an hour, yields once so every
// one of them has run up to its sleep, and reads the RSS growth. The timed part is the spawning
// and the first run of each fiber; killing and joining them is not timed.
void fibersql_sleeping_100k(benchmark::State& state) {
  double growth = 0;
  fibersql::run([&] {
    std::vector<fibersql::fiber> fibers;
    fibers.reserve(sleepers);
    std::size_t parked = 0;
    for (auto _ : state) {
      ::malloc_trim(0);  // freed heap from earlier runs must not hide this run's growth
      const double before = rss_bytes();
      for (std::size_t i = 0; i < sleepers; ++i) {
        fibers.push_back(fibersql::spawn([&parked] {
          ++parked;
          fibersql::this_fiber::sleep_for(std::chrono::hours(1));
        }));
      }
      fibersql::this_fiber::yield();  // every sleeper was queued before us: all are parked now
      growth = rss_bytes() - before;
      state.PauseTiming();
      if (parked != sleepers) state.SkipWithError("not every fiber reached its sleep");
      for (const fibersql::fiber& f : fibers) f.kill();
      fibersql::join_all(fibers);
      fibers.clear();
      parked = 0;
      state.ResumeTiming();
    }
  });
  state.counters["rss_mib"] = benchmark::Counter(growth / (1024.0 * 1024.0));
  state.counters["kib_per_fiber"] = benchmark::Counter(growth / 1024.0 / sleepers);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(sleepers));
}

}  // namespace

// Registered by hand: the names carry a '/' (library/benchmark), which BENCHMARK() cannot give.
int main(int argc, char** argv) {
  benchmark::RegisterBenchmark("fibersql/switch_roundtrip", fibersql_switch_roundtrip);
  benchmark::RegisterBenchmark("boost_fiber/switch_roundtrip", boost_fiber_switch_roundtrip);
  benchmark::RegisterBenchmark("fibersql/spawn_join", fibersql_spawn_join);
  benchmark::RegisterBenchmark("boost_fiber/spawn_join", boost_fiber_spawn_join);
  benchmark::RegisterBenchmark("fibersql/sleeping_100k", fibersql_sleeping_100k)
      ->Iterations(1)
      ->Unit(benchmark::kMillisecond);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
