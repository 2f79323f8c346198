// threads_baseline: blocking libmariadb, one thread per connection, the classic way to talk
// to MariaDB from C or C++. Same flags, workloads and report as bench/load.
#include <mysql.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <fibersql/mysql/options.hpp>

#include "bench_support.hpp"
#include "blocking_connect.hpp"

namespace fibersql::bench {
namespace {

constexpr const char* usage =
    "usage: threads_baseline --url mysql://user:pw@host:port/db [--concurrency N] [--seconds T]\n"
    "            [--workload point_select|point_select_prepared] [--table-size ROWS] [--quiet]\n";

struct alignas(64) thread_slot {
  latency_histogram latency;
  std::atomic<std::uint64_t> queries{0};
  std::uint64_t errors = 0;
  std::string failure;  // why connecting failed; empty if it did not
};

struct shared_state {
  load_flags flags;
  mysql::connect_options options;
  std::atomic<unsigned> ready{0};  // threads connected or failed
  std::atomic<bool> go{false};
  std::atomic<bool> stop{false};
};

// One prepared point select with its int parameter and its string result bound once.
struct prepared_point_select {
  MYSQL_STMT* stmt = nullptr;
  long long id = 0;
  char c[256];
  unsigned long c_length = 0;
  MYSQL_BIND param{}, out{};

  explicit prepared_point_select(MYSQL* m) : stmt(mysql_stmt_init(m)) {
    if (mysql_stmt_prepare(stmt, point_select_sql, std::strlen(point_select_sql))) {
      throw std::runtime_error(mysql_stmt_error(stmt));
    }
    param.buffer_type = MYSQL_TYPE_LONGLONG;
    param.buffer = &id;
    out.buffer_type = MYSQL_TYPE_STRING;
    out.buffer = c;
    out.buffer_length = sizeof c;
    out.length = &c_length;
    mysql_stmt_bind_param(stmt, &param);
    mysql_stmt_bind_result(stmt, &out);
  }
  ~prepared_point_select() { mysql_stmt_close(stmt); }
  // Runs the statement for `row_id`; false on error.
  bool run(long long row_id) {
    id = row_id;
    if (mysql_stmt_execute(stmt) || mysql_stmt_store_result(stmt)) return false;
    int rows = 0;
    while (mysql_stmt_fetch(stmt) == 0) ++rows;
    mysql_stmt_free_result(stmt);
    return rows == 1;
  }
};

// One text point select; false on error or when the row is missing.
bool text_point_select(MYSQL* m, unsigned id) {
  char sql[64];
  const int n = std::snprintf(sql, sizeof sql, "SELECT c FROM sbtest1 WHERE id=%u", id);
  if (mysql_real_query(m, sql, static_cast<unsigned long>(n))) return false;
  MYSQL_RES* res = mysql_store_result(m);
  if (res == nullptr) return false;
  int rows = 0;
  while (mysql_fetch_row(res) != nullptr) ++rows;
  mysql_free_result(res);
  return rows == 1;
}

void run_connection(shared_state& s, thread_slot& slot, unsigned index) {
  MYSQL* m = nullptr;
  std::unique_ptr<prepared_point_select> ps;
  try {
    m = blocking_connect(s.options, false);
    if (s.flags.workload == "point_select_prepared") ps = std::make_unique<prepared_point_select>(m);
  } catch (const std::exception& e) {
    slot.failure = e.what();
  }
  s.ready.fetch_add(1);
  while (!s.go.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  id_source ids(index + 1);
  while (m != nullptr && slot.failure.empty() && !s.stop.load(std::memory_order_relaxed)) {
    const auto t0 = steady::now();
    const unsigned id = ids.next(s.flags.table_size);
    const bool ok = ps ? ps->run(id) : text_point_select(m, id);
    const auto t1 = steady::now();
    if (s.stop.load(std::memory_order_relaxed)) break;
    if (!ok) {
      ++slot.errors;
      continue;
    }
    slot.latency.add(static_cast<std::uint64_t>((t1 - t0).count()));
    slot.queries.store(slot.queries.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
  ps.reset();
  if (m) mysql_close(m);
}

run_report run_threads(shared_state& s) {
  const unsigned n = s.flags.concurrency;
  std::vector<std::unique_ptr<thread_slot>> slots;
  for (unsigned i = 0; i < n; ++i) slots.push_back(std::make_unique<thread_slot>());
  std::vector<std::thread> threads;
  for (unsigned i = 0; i < n; ++i) threads.emplace_back(run_connection, std::ref(s), std::ref(*slots[i]), i);
  while (s.ready.load() < n) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  for (auto& slot : slots) {
    if (!slot->failure.empty()) {
      s.stop = true;
      s.go = true;
      for (auto& t : threads) t.join();
      throw std::runtime_error("a connection failed: " + slot->failure);
    }
  }
  run_report r;
  r.tool = "threads";
  r.flags = s.flags;
  const auto t0 = steady::now();
  const double cpu0 = process_cpu_us();
  s.go = true;
  const auto end = t0 + std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(s.flags.seconds));
  auto total = [&] {
    std::uint64_t q = 0;
    for (auto& slot : slots) q += slot->queries.load(std::memory_order_relaxed);
    return q;
  };
  std::uint64_t last_q = 0;
  auto last_t = t0;
  while (steady::now() < end) {
    std::this_thread::sleep_until(std::min(end, last_t + std::chrono::seconds(1)));
    const auto now = steady::now();
    const std::uint64_t q = total();
    if (!s.flags.quiet) {
      print_progress(std::chrono::duration<double>(now - t0).count(),
                     static_cast<double>(q - last_q) / std::chrono::duration<double>(now - last_t).count(), q);
    }
    last_q = q;
    last_t = now;
  }
  s.stop = true;
  r.elapsed_s = std::chrono::duration<double>(steady::now() - t0).count();
  r.cpu_us = process_cpu_us() - cpu0;
  if (!s.flags.quiet) end_progress();
  for (auto& t : threads) t.join();
  for (auto& slot : slots) {
    r.latency.merge(slot->latency);
    r.queries += slot->queries.load();
    r.errors += slot->errors;
  }
  return r;
}

}  // namespace
}  // namespace fibersql::bench

int main(int argc, char** argv) {
  using namespace fibersql::bench;
  shared_state s;
  try {
    s.flags = parse_flags(argc, argv, {"point_select", "point_select_prepared"}, false);
    s.options = fibersql::mysql::parse_url(s.flags.url);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "threads_baseline: %s\n%s", e.what(), usage);
    return 2;
  }
  mysql_library_init(0, nullptr, nullptr);
  try {
    print_report(run_threads(s));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "threads_baseline: %s\n", e.what());
    return 1;
  }
  mysql_library_end();
  return 0;
}
