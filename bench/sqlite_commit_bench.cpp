// sqlite_commit_bench: 100 fibers committing small transactions to one SQLite file (WAL,
// synchronous=FULL) on one hub, with the statements that may sync run inline (the old way),
// on the worker pool (COMMIT and autocommit writes: the default for file databases), or every
// statement on the pool. Reports commits/s and the hub's latency (monitor probe every 1 ms).
// Also the in-memory database, inline, for the unchanged-speed reference.
//
// Usage: sqlite_commit_bench [seconds per mode, default 3] [directory, default /tmp] [mode 0-3]
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <fibersql/runtime/runtime.hpp>
#include <fibersql/sqlite/connection.hpp>

using namespace fibersql;
using namespace std::chrono_literals;

namespace {

enum class mode { inline_steps, syncing_offloaded, every_offloaded, memory_inline };

const char* name_of(mode m) {
  switch (m) {
    case mode::inline_steps:
      return "file, inline (before)";
    case mode::syncing_offloaded:
      return "file, COMMIT/autocommit writes offloaded (default)";
    case mode::every_offloaded:
      return "file, every statement offloaded";
    case mode::memory_inline:
      return "sqlite::memory:, inline";
  }
  return "?";
}

sqlite::options options_for(mode m) {
  sqlite::options o;
  o.busy_timeout = 0ms;  // as the Database layer: fibers wait for locks by sleeping
  o.on_busy = [](unsigned) {
    this_fiber::sleep_for(1ms);
    return true;
  };
  if (m == mode::syncing_offloaded || m == mode::every_offloaded) {
    o.run_blocking = [](const std::function<void()>& call) { offload_shielded(call); };
    o.run_blocking_for =
        m == mode::every_offloaded ? sqlite::options::blocking::every : sqlite::options::blocking::syncing;
  }
  return o;
}

double ms(clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

void run_mode(mode m, const std::string& dir, clock::duration length, int fibers) {
  const std::string path = dir + "/fibersql_commit_bench_" + std::to_string(::getpid()) + ".db";
  for (const char* s : {"", "-wal", "-shm"}) std::remove((path + s).c_str());
  const std::string memory_name = "fibersql-commit-bench-" + std::to_string(::getpid());
  auto open = [&] {
    return m == mode::memory_inline ? sqlite::connection::open_shared_memory(memory_name, options_for(m))
                                    : sqlite::connection::open(path, options_for(m));
  };
  std::uint64_t commits = 0;
  latency_stats lat;
  run([&] {
    auto setup = open();  // also keeps the shared in-memory database alive
    setup->execute_script(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
        "CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, fiber INTEGER, payload TEXT)");
    // FIBERSQL_BENCH_WATCHDOG_MS=N prints what held the hub longer than N ms.
    const char* watchdog = std::getenv("FIBERSQL_BENCH_WATCHDOG_MS");
    hub::current().start_monitor(
        {.latency_interval = 1ms,
         .watchdog_threshold = watchdog ? std::chrono::milliseconds(std::atoi(watchdog)) : 0ms});
    const deadline until = deadline_after(length);
    std::vector<fiber> workers;
    for (int i = 0; i < fibers; ++i) {
      workers.push_back(spawn([&, i] {
        auto c = open();
        c->execute_script("PRAGMA synchronous=FULL");
        const std::vector<value> params{value(std::int64_t{i}), value(std::string(100, 'x'))};
        while (clock::now() < until) {
          c->begin();
          c->query("INSERT INTO items (fiber, payload) VALUES (?, ?)", params);
          c->commit();
          ++commits;
          this_fiber::yield();  // a request boundary: a service's fiber waits for its next request
        }
      }));
    }
    join_all(workers);
    lat = hub::current().latency();
    hub::current().stop_monitor();
  });
  for (const char* s : {"", "-wal", "-shm"}) std::remove((path + s).c_str());
  std::printf("%-52s %8.0f commits/s  hub latency p50 %6.2f ms  p99 %7.2f ms  max %7.2f ms  (%zu samples)\n",
              name_of(m), static_cast<double>(commits) / std::chrono::duration<double>(length).count(), ms(lat.p50),
              ms(lat.p99), ms(lat.max), lat.samples);
}

}  // namespace

// The machine's floor: the same probe on a hub whose only fiber sleeps. On a loaded shared
// machine this alone can exceed the 2 ms target (the hub thread waits for a core).
void run_idle(clock::duration length) {
  latency_stats lat;
  run([&] {
    hub::current().start_monitor({.latency_interval = 1ms, .watchdog_threshold = 0ms});
    this_fiber::sleep_for(length);
    lat = hub::current().latency();
    hub::current().stop_monitor();
  });
  std::printf("%-52s %8s            hub latency p50 %6.2f ms  p99 %7.2f ms  max %7.2f ms  (%zu samples)\n",
              "idle hub (machine floor)", "-", ms(lat.p50), ms(lat.p99), ms(lat.max), lat.samples);
}

int main(int argc, char** argv) {
  const int seconds = argc > 1 ? std::atoi(argv[1]) : 3;
  const std::string dir = argc > 2 ? argv[2] : "/tmp";
  std::printf(
      "100 fibers, BEGIN; INSERT; COMMIT in a loop, %d s per mode, WAL + synchronous=FULL in %s, pool %zu threads\n",
      seconds, dir.c_str(), thread_pool::default_threads());
  const int only = argc > 3 ? std::atoi(argv[3]) : -1;
  if (only < 0 || only == 4) run_idle(std::chrono::seconds(seconds));
  for (mode m : {mode::inline_steps, mode::syncing_offloaded, mode::every_offloaded, mode::memory_inline}) {
    if (only < 0 || only == static_cast<int>(m)) run_mode(m, dir, std::chrono::seconds(seconds), 100);
  }
}
