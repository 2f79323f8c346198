// orm_stream_bench: reading N rows through the ORM three ways — query.stream(db),
// query.batches(db, 1000) and query.all(db) — on SQLite and/or MariaDB: rows/s and the peak
// resident growth of each (VmHWM after /proc/self/clear_refs, above the RSS before the run),
// median of `runs`. Then the SQLite stream again with 100 ticker fibers on the hub: the hub's
// latency (monitor probe every 1 ms) while it runs.
//
// Usage: orm_stream_bench [rows, default 1000000] [runs, default 5; 0: latency only]
//                         [mysql URL, optional]
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <fibersql/orm/orm.hpp>
#include <fibersql/runtime/runtime.hpp>

namespace bench {
namespace orm = fibersql::orm;

struct item {
  std::int64_t id = 0;
  std::int64_t n = 0;
  std::string label;
};
FIBERSQL_TABLE(items, item, (id, auto_increment), (n), (label, max_length(255)));

}  // namespace bench

namespace {

using namespace fibersql;
using namespace std::chrono_literals;
using bench::items;

// The process's peak and current resident set, in bytes (/proc/self/status).
std::size_t status_kib(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string key = std::string(field) + ":";
  while (std::getline(in, line))
    if (line.rfind(key, 0) == 0) return std::strtoull(line.c_str() + key.size(), nullptr, 10);
  return 0;
}
void reset_peak() {
  malloc_trim(0);
  std::ofstream("/proc/self/clear_refs") << "5";  // resets VmHWM to the current RSS
}

void fill(db::database& db, long rows, bool mysql) {
  orm::drop_tables(db, items);
  orm::create_tables(db, items);
  const std::string n = std::to_string(rows);
  if (mysql)
    db.execute("INSERT INTO items (n, label) SELECT seq, CONCAT('item ', seq) FROM seq_1_to_" + n);
  else
    db.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < " + n +
               ") INSERT INTO items (n, label) SELECT x, 'item ' || x FROM c");
}

struct figure {
  double rows_per_s;
  double peak_mib;
};

template <class Read>
figure measure(db::database& db, long rows, Read read) {
  reset_peak();
  const std::size_t before = status_kib("VmRSS");
  const auto t0 = clock::now();
  const long seen = read(db);
  const double s = std::chrono::duration<double>(clock::now() - t0).count();
  const std::size_t peak = status_kib("VmHWM");
  if (seen != rows) std::fprintf(stderr, "read %ld rows, expected %ld\n", seen, rows);
  return {static_cast<double>(seen) / s, static_cast<double>(peak > before ? peak - before : 0) / 1024.0};
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void compare_modes(const std::string& url, const char* name, long rows, int runs) {
  fibersql::run([&] {
    db::database db{url};
    const bool mysql = orm::dialect_of(db.connection().server_version()).mysql_family();
    fill(db, rows, mysql);
    const auto stream = [](db::database& d) {
      long n = 0;
      for (const bench::item& it : orm::select(items).stream(d)) n += it.id > 0;
      return n;
    };
    const auto batches = [](db::database& d) {
      long n = 0;
      for (auto& page : orm::select(items).batches(d, 1000)) n += static_cast<long>(page.size());
      return n;
    };
    const auto all = [](db::database& d) { return static_cast<long>(orm::select(items).all(d).size()); };
    struct mode {
      const char* label;
      std::function<long(db::database&)> read;
      std::vector<double> rate, peak;
    };
    std::vector<mode> modes{
        {".stream(db)", stream, {}, {}}, {".batches(db, 1000)", batches, {}, {}}, {".all(db)", all, {}, {}}};
    for (int r = 0; r < runs; ++r)
      for (mode& m : modes) {
        const figure f = measure(db, rows, m.read);
        m.rate.push_back(f.rows_per_s);
        m.peak.push_back(f.peak_mib);
      }
    for (const mode& m : modes)
      std::printf("%-8s %-20s %10.0f rows/s   peak RSS growth %8.1f MiB   (median of %d, %ld rows)\n", name, m.label,
                  median(m.rate), median(m.peak), runs, rows);
    orm::drop_tables(db, items);
  });
}

// The hub's latency while 100 ticker fibers run, for as long as `body` takes: the idle
// floor (body sleeps) and the stream are measured alike, in the same run.
template <class Body>
void with_tickers(const char* label, Body body) {
  bool running = true;
  std::vector<fiber> tickers;
  for (int i = 0; i < 100; ++i)
    tickers.push_back(spawn([&running] {
      while (running) this_fiber::sleep_for(1ms);
    }));
  this_fiber::sleep_for(20ms);
  hub::current().start_monitor({.latency_interval = 1ms, .watchdog_threshold = 0ms});
  const std::string rate = body();
  const latency_stats lat = hub::current().latency();
  hub::current().stop_monitor();
  running = false;
  for (fiber& f : tickers) f.join();
  const auto ms = [](clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
  std::printf("sqlite   %-28s %s   hub latency p50 %.2f ms  p99 %.2f ms  max %.2f ms (%zu samples)\n", label,
              rate.c_str(), ms(lat.p50), ms(lat.p99), ms(lat.max), lat.samples);
}

void sqlite_latency(const std::string& url, long rows) {
  fibersql::run([&] {
    db::database db{url};
    fill(db, rows, false);
    with_tickers("100 fibers, idle (floor)", [] {
      this_fiber::sleep_for(2s);
      return std::string(17, ' ');
    });
    with_tickers(".stream(db) + 100 fibers", [&] {
      const auto t0 = clock::now();
      long n = 0;
      for (const bench::item& it : orm::select(items).stream(db)) n += it.id > 0;
      const double s = std::chrono::duration<double>(clock::now() - t0).count();
      char buf[32];
      std::snprintf(buf, sizeof buf, "%10.0f rows/s", static_cast<double>(n) / s);
      return std::string(buf);
    });
    orm::drop_tables(db, items);
  });
}

}  // namespace

int main(int argc, char** argv) {
  const long rows = argc > 1 ? std::atol(argv[1]) : 1000000;
  const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
  const std::string mysql_url = argc > 3 ? argv[3] : "";
  const std::string path = "/tmp/fibersql_orm_stream_bench_" + std::to_string(::getpid()) + ".db";
  const std::string sqlite_url = "sqlite://" + path;
  if (runs > 0) compare_modes(sqlite_url, "sqlite", rows, runs);
  sqlite_latency(sqlite_url, rows);
  if (runs > 0 && !mysql_url.empty()) compare_modes(mysql_url, "mariadb", rows, runs);
  std::remove(path.c_str());
  return 0;
}
