// load: drives a MariaDB server with N fibers, each on its own fibersql connection, spread
// over H hubs (threads), and reports qps, statement latency, client CPU per statement and the
// hubs' scheduling latency. See docs/performance.md.
#include <atomic>
#include <cstdio>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <fibersql/mysql/connection.hpp>
#include <fibersql/runtime/runtime.hpp>
#include <fibersql/sql/errors.hpp>

#include "bench_support.hpp"
#include "workloads.hpp"

namespace fibersql::bench {
namespace {

constexpr const char* usage =
    "usage: load --url mysql://user:pw@host:port/db [--concurrency N] [--seconds T]\n"
    "            [--workload point_select|point_select_prepared|read_write] [--hubs H]\n"
    "            [--table-size ROWS] [--quiet]\n";

// One hub's share of the run. Aligned so that hubs never write the same cache line.
struct alignas(64) hub_slot {
  hub_tally tally;
  std::atomic<unsigned> connected{0};  // workers whose connection is open
  std::atomic<unsigned> failed{0};     // workers that could not connect
  latency_stats hub_latency;           // written by the hub's coordinator when its workers end
};

struct shared_state {
  load_flags flags;
  std::atomic<bool> stop{false};  // the window closed: workers finish their statement and end
  async_result<void> go;          // the window opens (every connection is up)
  std::vector<std::unique_ptr<hub_slot>> slots;
  std::mutex error_mutex;
  std::string first_error;    // guarded by error_mutex
  unsigned errors_shown = 0;  // guarded by error_mutex

  void note_error(const std::string& what) {
    std::lock_guard lock(error_mutex);
    if (first_error.empty()) first_error = what;
    if (errors_shown++ < 5) std::fprintf(stderr, "\nload: %s\n", what.c_str());
  }
  unsigned connected() const {
    unsigned n = 0;
    for (const auto& s : slots) n += s->connected.load() + s->failed.load();
    return n;
  }
  unsigned failed() const {
    unsigned n = 0;
    for (const auto& s : slots) n += s->failed.load();
    return n;
  }
  std::uint64_t queries() const {
    std::uint64_t n = 0;
    for (const auto& s : slots) n += s->tally.queries.load(std::memory_order_relaxed);
    return n;
  }
};

void worker(shared_state& s, hub_slot& slot, unsigned index) {
  std::optional<workload_runner> runner;
  try {
    runner.emplace(s.flags, index + 1);
  } catch (const std::exception& e) {
    s.note_error("connection " + std::to_string(index) + ": " + e.what());
    slot.failed.fetch_add(1);
    return;
  }
  slot.connected.fetch_add(1);
  s.go.get();
  while (!s.stop.load(std::memory_order_relaxed)) {
    try {
      runner->step(slot.tally, s.stop);
    } catch (const std::exception& e) {
      ++slot.tally.errors;
      s.note_error(e.what());
      try {
        runner->recover();
      } catch (const std::exception&) {
        this_fiber::sleep_for(std::chrono::milliseconds(10));
      }
    }
  }
}

// Runs on hub `h`: its workers, then the hub's scheduling latency over the window.
void run_hub(shared_state& s, unsigned h, unsigned first, unsigned count) {
  hub_slot& slot = *s.slots[h];
  std::vector<fiber> workers;
  workers.reserve(count);
  for (unsigned i = first; i < first + count; ++i) {
    workers.push_back(spawn([&s, &slot, i] { worker(s, slot, i); }, {.name = "load-worker"}));
  }
  s.go.get();
  hub::current().start_monitor({});
  join_all(workers);
  slot.hub_latency = hub::current().latency();
}

// Waits until every worker has connected (or failed), printing how many have.
void await_connections(shared_state& s) {
  const unsigned n = s.flags.concurrency;
  while (s.connected() < n) {
    if (!s.flags.quiet) std::fprintf(stderr, "\r  connecting %u/%u", s.connected(), n);
    this_fiber::sleep_for(std::chrono::milliseconds(20));
  }
  if (!s.flags.quiet) std::fprintf(stderr, "\r  connected %u/%u  \n", n - s.failed(), n);
}

// The measured window on the main fiber: opens it, prints progress each second, closes it.
void measure(shared_state& s, run_report& r) {
  const auto t0 = steady::now();
  const double cpu0 = process_cpu_us();
  s.go.set_value();
  const auto end = t0 + std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(s.flags.seconds));
  std::uint64_t last_q = 0;
  auto last_t = t0;
  while (steady::now() < end) {
    this_fiber::sleep_until(std::min(end, last_t + std::chrono::seconds(1)));
    const auto now = steady::now();
    const std::uint64_t q = s.queries();
    if (!s.flags.quiet) {
      print_progress(std::chrono::duration<double>(now - t0).count(),
                     static_cast<double>(q - last_q) / std::chrono::duration<double>(now - last_t).count(), q);
    }
    last_q = q;
    last_t = now;
  }
  s.stop.store(true);
  r.elapsed_s = std::chrono::duration<double>(steady::now() - t0).count();
  r.cpu_us = process_cpu_us() - cpu0;
  if (!s.flags.quiet) end_progress();
}

run_report run_load(shared_state& s) {
  const load_flags& f = s.flags;
  for (unsigned h = 0; h < f.hubs; ++h) s.slots.push_back(std::make_unique<hub_slot>());
  std::vector<std::unique_ptr<hub_thread>> threads;
  for (unsigned h = 1; h < f.hubs; ++h) threads.push_back(std::make_unique<hub_thread>());
  run_report r;
  r.tool = f.hubs == 1 ? "fibersql" : "fibersql_" + std::to_string(f.hubs) + "hubs";
  r.flags = f;
  fibersql::run([&] {
    // Connections are dealt to hubs as evenly as possible.
    auto share = [&](unsigned h) { return f.concurrency / f.hubs + (h < f.concurrency % f.hubs ? 1 : 0); };
    std::vector<async_result<void>> done(threads.size());
    unsigned first = share(0);
    for (unsigned h = 1; h < f.hubs; ++h) {
      const unsigned n = share(h);
      threads[h - 1]->get().post(
          [&s, h, first, n, d = done[h - 1]]() mutable {
            try {
              run_hub(s, h, first, n);
              d.set_value();
            } catch (...) {
              d.set_exception(std::current_exception());
            }
          },
          {.name = "load-hub"});
      first += n;
    }
    fiber mine = spawn([&] { run_hub(s, 0, 0, share(0)); }, {.name = "load-hub"});
    await_connections(s);
    if (s.failed() != 0) {
      s.stop.store(true);
      s.go.set_value();
    } else {
      measure(s, r);
    }
    mine.join();
    for (auto& d : done) d.get();
  });
  if (s.failed() != 0) {
    throw std::runtime_error(std::to_string(s.failed()) + " of " + std::to_string(f.concurrency) +
                             " connections failed; first: " + s.first_error);
  }
  for (auto& slot : s.slots) {
    r.latency.merge(slot->tally.latency);
    r.queries += slot->tally.queries.load();
    r.transactions += slot->tally.transactions;
    r.errors += slot->tally.errors;
    auto us = [](clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); };
    r.hub_p99_us = std::max(r.hub_p99_us, us(slot->hub_latency.p99));
    r.hub_max_us = std::max(r.hub_max_us, us(slot->hub_latency.max));
  }
  return r;
}

}  // namespace
}  // namespace fibersql::bench

int main(int argc, char** argv) {
  using namespace fibersql::bench;
  shared_state s;
  try {
    s.flags = parse_flags(argc, argv, {"point_select", "point_select_prepared", "read_write"}, true);
  } catch (const usage_error& e) {
    std::fprintf(stderr, "load: %s\n%s", e.what(), usage);
    return 2;
  }
  try {
    print_report(run_load(s));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "load: %s\n", e.what());
    return 1;
  }
  return 0;
}
