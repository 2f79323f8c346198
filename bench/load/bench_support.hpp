#pragma once
// What the load tool and the C++ baselines share: flag parsing, a latency histogram, the
// sbtest id generator, client CPU time and the one-line result every tool prints last, so
// that bench/compare.sh reads all of them the same way.
#include <sys/resource.h>

#include <array>
#include <bit>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace fibersql::bench {

using steady = std::chrono::steady_clock;

// A bad command line: main prints the message and the usage, then exits 2.
struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The flags every tool takes. Each tool lists the workloads it supports.
struct load_flags {
  std::string url;
  unsigned concurrency = 8;  // connections driven at once (fibers, threads or slots)
  double seconds = 5;        // measured window, after every connection is open
  std::string workload = "point_select";
  unsigned hubs = 1;            // load only: threads each running one hub
  unsigned table_size = 10000;  // ids drawn uniformly from 1..table_size
  bool quiet = false;           // no progress line
};

inline unsigned parse_unsigned(std::string_view flag, std::string_view text, unsigned lo, unsigned hi) {
  unsigned v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || v < lo || v > hi) {
    throw usage_error(std::string(flag) + " expects a whole number in " + std::to_string(lo) + ".." +
                      std::to_string(hi) + ", got '" + std::string(text) + "'");
  }
  return v;
}

inline double parse_seconds(std::string_view flag, std::string_view text) {
  char* end = nullptr;
  const std::string s(text);
  const double v = std::strtod(s.c_str(), &end);
  if (s.empty() || *end != '\0' || !(v > 0) || v > 86400) {
    throw usage_error(std::string(flag) + " expects seconds > 0 (e.g. 5 or 0.5), got '" + s + "'");
  }
  return v;
}

// parse_flags: reads `--flag value` or `--flag=value`. `workloads` are the accepted names;
// `with_hubs` says whether --hubs is accepted. Throws: usage_error naming the bad flag.
inline load_flags parse_flags(int argc, char** argv, const std::vector<std::string>& workloads, bool with_hubs) {
  load_flags f;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string value;
    bool has_value = false;
    if (auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      has_value = true;
    }
    auto need = [&]() -> std::string {
      if (has_value) return value;
      if (i + 1 >= argc) throw usage_error(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--url") {
      f.url = need();
    } else if (arg == "--concurrency" || arg == "-c") {
      f.concurrency = parse_unsigned(arg, need(), 1, 100000);
    } else if (arg == "--seconds" || arg == "-t") {
      f.seconds = parse_seconds(arg, need());
    } else if (arg == "--workload" || arg == "-w") {
      f.workload = need();
      bool known = false;
      std::string names;
      for (const auto& w : workloads) {
        known = known || w == f.workload;
        names += (names.empty() ? "" : "|") + w;
      }
      if (!known) throw usage_error("--workload '" + f.workload + "' is not one of " + names);
    } else if (arg == "--hubs" && with_hubs) {
      f.hubs = parse_unsigned(arg, need(), 1, 64);
    } else if (arg == "--table-size") {
      f.table_size = parse_unsigned(arg, need(), 1, 1000000000);
    } else if (arg == "--quiet" || arg == "-q") {
      f.quiet = true;
    } else {
      throw usage_error("unknown flag '" + arg + "'");
    }
  }
  if (f.url.empty()) throw usage_error("--url is required (e.g. mysql://user:pw@127.0.0.1:3306/db)");
  if (f.hubs > f.concurrency) {
    throw usage_error("--hubs " + std::to_string(f.hubs) + " exceeds --concurrency " + std::to_string(f.concurrency) +
                      " (each hub needs at least one connection)");
  }
  return f;
}

// A log-linear histogram of nanosecond latencies: 32 sub-buckets per power of two (about 3%
// resolution), fixed size, no allocation on add. One writer; merge() after the run.
class latency_histogram {
 public:
  void add(std::uint64_t ns) noexcept {
    ++counts_[index_of(ns)];
    ++total_;
    if (ns > max_) max_ = ns;
  }
  void merge(const latency_histogram& other) noexcept {
    for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
    total_ += other.total_;
    if (other.max_ > max_) max_ = other.max_;
  }
  std::uint64_t total() const noexcept { return total_; }
  std::uint64_t max() const noexcept { return max_; }
  // percentile: the upper edge of the bucket holding rank ceil(q * total); 0 when empty.
  std::uint64_t percentile(double q) const noexcept {
    if (total_ == 0) return 0;
    std::uint64_t rank = static_cast<std::uint64_t>(q * static_cast<double>(total_) + 0.999999);
    if (rank == 0) rank = 1;
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < counts_.size(); ++i) {
      seen += counts_[i];
      if (seen >= rank) return std::min(upper_edge(i), max_);
    }
    return max_;
  }

 private:
  static constexpr unsigned sub_bits = 5;
  static constexpr std::uint64_t sub = 1u << sub_bits;
  static std::size_t index_of(std::uint64_t ns) noexcept {
    if (ns < sub) return static_cast<std::size_t>(ns);
    const unsigned msb = 63u - static_cast<unsigned>(std::countl_zero(ns));
    const unsigned shift = msb - sub_bits;
    return ((shift + 1) << sub_bits) + ((ns >> shift) & (sub - 1));
  }
  static std::uint64_t upper_edge(std::size_t i) noexcept {
    if (i < 2 * sub) return i;
    const unsigned shift = static_cast<unsigned>(i >> sub_bits) - 1;
    return (((i & (sub - 1)) | sub) + 1) << shift;
  }
  std::array<std::uint64_t, 64 << sub_bits> counts_{};
  std::uint64_t total_ = 0;
  std::uint64_t max_ = 0;
};

// xorshift64*: the sbtest ids, uniform in 1..n; one generator per connection.
class id_source {
 public:
  explicit id_source(std::uint64_t seed) : s_(seed * 0x9E3779B97F4A7C15ull | 1) {}
  unsigned next(unsigned n) noexcept {
    s_ ^= s_ >> 12;
    s_ ^= s_ << 25;
    s_ ^= s_ >> 27;
    return static_cast<unsigned>(((s_ * 0x2545F4914F6CDD1Dull) >> 32) % n) + 1;
  }

 private:
  std::uint64_t s_;
};

// Client CPU (user + system) of the whole process, in microseconds.
inline double process_cpu_us() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto us = [](const timeval& tv) { return tv.tv_sec * 1e6 + tv.tv_usec; };
  return us(ru.ru_utime) + us(ru.ru_stime);
}

// The figures of one run.
struct run_report {
  std::string tool;
  load_flags flags;
  std::uint64_t queries = 0;       // statements completed inside the window
  std::uint64_t transactions = 0;  // read_write only
  std::uint64_t errors = 0;
  double elapsed_s = 0;       // the measured window
  double cpu_us = 0;          // client CPU spent inside the window
  latency_histogram latency;  // per statement
  double hub_p99_us = -1;     // worst hub's p99 scheduling latency; < 0: not measured
  double hub_max_us = -1;
};

// print_report: a human-readable block, then the `result ...` line compare.sh parses.
inline void print_report(const run_report& r) {
  const double qps = r.elapsed_s > 0 ? static_cast<double>(r.queries) / r.elapsed_s : 0;
  const double cpu_per_q = r.queries ? r.cpu_us / static_cast<double>(r.queries) : 0;
  auto us = [](std::uint64_t ns) { return static_cast<double>(ns) / 1000.0; };
  std::printf("%s: workload=%s concurrency=%u hubs=%u window=%.2fs\n", r.tool.c_str(), r.flags.workload.c_str(),
              r.flags.concurrency, r.flags.hubs, r.elapsed_s);
  std::printf("  qps               %.0f (%llu statements, %llu errors)\n", qps,
              static_cast<unsigned long long>(r.queries), static_cast<unsigned long long>(r.errors));
  if (r.transactions) std::printf("  tps               %.0f\n", static_cast<double>(r.transactions) / r.elapsed_s);
  std::printf("  latency us        p50 %.0f  p99 %.0f  max %.0f\n", us(r.latency.percentile(0.5)),
              us(r.latency.percentile(0.99)), us(r.latency.max()));
  std::printf("  client cpu        %.1f us/query (%.0f%% of one core)\n", cpu_per_q,
              r.elapsed_s > 0 ? r.cpu_us / (r.elapsed_s * 1e4) : 0);
  if (r.hub_p99_us >= 0) std::printf("  hub latency us    p99 %.0f  max %.0f\n", r.hub_p99_us, r.hub_max_us);
  std::printf(
      "result tool=%s workload=%s conc=%u hubs=%u qps=%.0f p50_us=%.0f p99_us=%.0f max_us=%.0f "
      "cpu_us_per_query=%.2f hub_p99_us=%.0f errors=%llu\n",
      r.tool.c_str(), r.flags.workload.c_str(), r.flags.concurrency, r.flags.hubs, qps, us(r.latency.percentile(0.5)),
      us(r.latency.percentile(0.99)), us(r.latency.max()), cpu_per_q, r.hub_p99_us,
      static_cast<unsigned long long>(r.errors));
  std::fflush(stdout);
}

// The progress line (stderr, rewritten in place): seconds elapsed and the last second's qps.
inline void print_progress(double elapsed_s, double qps_now, std::uint64_t total) {
  std::fprintf(stderr, "\r  [%5.1fs] %8.0f qps  %10llu statements", elapsed_s, qps_now,
               static_cast<unsigned long long>(total));
  std::fflush(stderr);
}
inline void end_progress() {
  std::fprintf(stderr, "\n");
}

// The statements of the sysbench-like workloads (sbtest1: id, k, c, pad).
inline constexpr const char* point_select_sql = "SELECT c FROM sbtest1 WHERE id=?";

}  // namespace fibersql::bench
