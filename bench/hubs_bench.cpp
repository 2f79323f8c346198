// hubs_bench: several hubs (issue 17). N hub_threads, each with F fibers running `SELECT 1`
// (yielding between statements, as request fibers do), for a database per hub against one
// database shared by every hub (a URL database: its state is mutex-guarded, each fiber has its
// own connection), and a pooled database (pool::make_database) per hub. A pool shared across
// hubs is not measured: it is refused with misuse_error (tests/pool/hub_affinity_test.cpp).
//
// Usage: hubs_bench [seconds per mode, default 2] [fibers per hub, default 16] [url, default
// sqlite::memory:]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <latch>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <fibersql/db/database.hpp>
#include <fibersql/pool/pool.hpp>
#include <fibersql/runtime/runtime.hpp>

using namespace fibersql;

namespace {

enum class layout { own_database, shared_database, own_pooled_database };

const char* name_of(layout l) {
  switch (l) {
    case layout::own_database:
      return "a database per hub";
    case layout::shared_database:
      return "one database shared by all hubs";
    case layout::own_pooled_database:
      return "a pooled database per hub";
  }
  return "?";
}

std::unique_ptr<db::database> make(layout l, const std::string& url, std::size_t fibers) {
  if (l == layout::own_pooled_database) {
    return std::make_unique<db::database>(pool::make_database(url, {.max_open = fibers}));
  }
  return std::make_unique<db::database>(url);
}

double measure(layout l, int hubs, int fibers, double seconds, const std::string& url) {
  std::vector<std::unique_ptr<db::database>> databases;
  for (int i = 0; i < (l == layout::shared_database ? 1 : hubs); ++i) databases.push_back(make(l, url, fibers));
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> total{0};
  std::latch done(hubs);
  {
    std::vector<std::unique_ptr<hub_thread>> threads;
    for (int h = 0; h < hubs; ++h) threads.push_back(std::make_unique<hub_thread>());
    const auto start = std::chrono::steady_clock::now();
    for (int h = 0; h < hubs; ++h) {
      db::database& d = *databases[l == layout::shared_database ? 0 : h];
      threads[h]->get().post([&, fibers] {
        std::vector<fiber> workers;
        for (int f = 0; f < fibers; ++f) {
          workers.push_back(spawn([&] {
            std::uint64_t n = 0;
            while (!stop.load(std::memory_order_relaxed)) {
              d.query("SELECT 1");
              ++n;
              this_fiber::yield();
            }
            d.close();
            total.fetch_add(n);
          }));
        }
        for (fiber& w : workers) w.join();
        done.count_down();
      });
    }
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
    done.wait();
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return static_cast<double>(total.load()) / elapsed;
  }
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;
  const int fibers = argc > 2 ? std::atoi(argv[2]) : 16;
  const std::string url = argc > 3 ? argv[3] : "sqlite::memory:";
  std::printf("%d fibers per hub, %s, %.1f s per mode (hardware threads: %u)\n", fibers, url.c_str(), seconds,
              std::thread::hardware_concurrency());
  for (int hubs : {1, 2}) {
    for (layout l : {layout::own_database, layout::shared_database, layout::own_pooled_database}) {
      std::printf("%d hub(s), %-32s %10.0f statements/s\n", hubs, name_of(l), measure(l, hubs, fibers, seconds, url));
      std::fflush(stdout);
    }
  }
}
