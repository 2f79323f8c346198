#include "detail/monitor_impl.hpp"

#include <execinfo.h>
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include <boost/stacktrace/frame.hpp>

#include <fibersql/runtime/log.hpp>

#include "detail/hub_impl.hpp"

namespace fibersql::detail {
namespace {

constexpr std::size_t sample_capacity = 8192;
constexpr int max_frames = 64;
// The signal that asks the hub thread to record its own stack: the blocking fiber's frames.
const int backtrace_signal = SIGURG;

// One capture at a time, process-wide (watchdog reports are rare).
std::mutex capture_mutex;
void* captured_frames[max_frames];
std::atomic<int> captured_count{-1};

void on_backtrace_signal(int) {
  const int saved_errno = errno;
  captured_count.store(::backtrace(captured_frames, max_frames), std::memory_order_release);
  errno = saved_errno;
}

void install_backtrace_handler() {
  static std::once_flag once;
  std::call_once(once, [] {
    void* warmup[1];
    ::backtrace(warmup, 1);  // loads the unwinder now, not inside the signal handler
    struct sigaction action {};
    action.sa_handler = on_backtrace_signal;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigaction(backtrace_signal, &action, nullptr);
  });
}

// symbolize: "function at file:line" (or "function" without line info) via Boost.Stacktrace's
// libbacktrace backend; "" when nothing is known of the address.
std::string symbolize(void* address) {
  const boost::stacktrace::frame f(address);
  std::string out = f.name();
  if (out.empty()) return out;
  const std::string file = f.source_file();
  if (!file.empty()) out += " at " + file + ":" + std::to_string(f.source_line());
  return out;
}

// capture_addresses: the hub thread's return addresses, recorded by its own signal handler.
std::vector<void*> capture_addresses(pthread_t thread) {
  std::lock_guard lock(capture_mutex);
  captured_count.store(-1, std::memory_order_relaxed);
  if (pthread_kill(thread, backtrace_signal) != 0) return {};
  for (int i = 0; i < 200 && captured_count.load(std::memory_order_acquire) < 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  const int n = captured_count.load(std::memory_order_acquire);
  if (n <= 0) return {};
  return std::vector<void*>(captured_frames, captured_frames + n);
}

// symbolized: one line per address, symbolized here on the watchdog thread (the signal handler
// only stored addresses: backtrace() is async-signal-safe once warmed up, reading DWARF is not).
std::vector<std::string> symbolized(std::vector<void*> addresses) {
  const int n = static_cast<int>(addresses.size());
  std::unique_ptr<char*, decltype(&std::free)> symbols(::backtrace_symbols(addresses.data(), n), &std::free);
  std::vector<std::string> frames;
  for (int i = 0; i < n; ++i) {
    std::string frame = symbolize(addresses[static_cast<std::size_t>(i)]);
    frames.push_back(!frame.empty() ? frame : symbols ? symbols.get()[i] : "?");
  }
  return frames;
}

void print_report(const blocked_report& r) {
  std::string text =
      "fibersql watchdog: fiber " + std::to_string(r.fiber_id) + " '" + r.fiber_name + "' has held the hub for " +
      std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(r.blocked_for).count()) + " ms";
  for (const auto& frame : r.backtrace) text += "\n    " + frame;
  detail::log_message(log_level::warning, text);
}

}  // namespace

monitor_impl::monitor_impl(hub_impl& hub, monitor_options options) : hub_(hub), options_(std::move(options)) {
  if (options_.latency_interval <= clock::duration::zero()) {
    throw std::invalid_argument("monitor_options.latency_interval must be > 0");
  }
  if (!options_.on_blocked) options_.on_blocked = print_report;
  lateness_ns_.reserve(sample_capacity);
  ev_init(&probe_, &monitor_impl::on_probe);
  probe_.data = this;
  arm_probe();
  if (options_.watchdog_threshold > clock::duration::zero()) {
    install_backtrace_handler();
    watchdog_ = std::thread([this] { watch(); });
  }
}

monitor_impl::~monitor_impl() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wakeup_.notify_all();
  if (watchdog_.joinable()) watchdog_.join();
  ev_ref(hub_.loop);
  ev_timer_stop(hub_.loop, &probe_);
}

void monitor_impl::arm_probe() {
  probe_due_ = clock::now() + options_.latency_interval;
  ev_timer_set(&probe_, std::chrono::duration<double>(options_.latency_interval).count(), 0.);
  ev_timer_start(hub_.loop, &probe_);
  ev_unref(hub_.loop);  // the probe alone must not keep the hub running
}

void monitor_impl::on_probe(struct ev_loop* loop, ev_timer* w, int) {
  auto* self = static_cast<monitor_impl*>(w->data);
  ev_ref(loop);  // balances arm_probe's unref now that the one-shot timer has stopped
  const std::int64_t late = std::max<std::int64_t>(
      0, std::chrono::duration_cast<std::chrono::nanoseconds>(clock::now() - self->probe_due_).count());
  if (self->lateness_ns_.size() < sample_capacity) {
    self->lateness_ns_.push_back(late);
  } else {
    self->lateness_ns_[self->next_sample_] = late;
  }
  self->next_sample_ = (self->next_sample_ + 1) % sample_capacity;
  ++self->total_samples_;
  self->max_ns_ = std::max(self->max_ns_, late);
  self->arm_probe();
}

latency_stats monitor_impl::stats() const {
  latency_stats out;
  out.samples = total_samples_;
  out.blocked_reports = blocked_reports_.load(std::memory_order_relaxed);
  out.max = std::chrono::nanoseconds(max_ns_);
  if (lateness_ns_.empty()) return out;
  std::vector<std::int64_t> sorted = lateness_ns_;
  std::sort(sorted.begin(), sorted.end());
  auto at = [&](double q) {
    return std::chrono::nanoseconds(sorted[static_cast<std::size_t>(q * (sorted.size() - 1))]);
  };
  out.p50 = at(0.50);
  out.p99 = at(0.99);
  return out;
}

// Samples the hub's switch counter; the same fiber still running with the counter unchanged
// for longer than the threshold means that fiber has not given the hub back. Only time the
// watchdog was awake to see counts: when its own wait overran by half a threshold, the whole
// process was stopped or starved (SIGSTOP, a stalled machine), the hub thread with it, and the
// fiber that happened to be running did not hold the hub; the count starts again.
void monitor_impl::watch() {
  const auto step = std::max<clock::duration>(options_.watchdog_threshold / 4, std::chrono::milliseconds(1));
  const auto overrun = step + options_.watchdog_threshold / 2;
  std::uint64_t last_switches = hub_.switches.load(std::memory_order_relaxed);
  std::uint64_t reported_switches = 0;
  clock::time_point unchanged_since = clock::now();
  clock::time_point last_wake = unchanged_since;
  std::unique_lock lock(mutex_);
  while (!wakeup_.wait_for(lock, step, [this] { return stopping_; })) {
    const std::uint64_t now_switches = hub_.switches.load(std::memory_order_relaxed);
    const auto now = clock::now();
    const bool was_stopped = now - last_wake > overrun;
    last_wake = now;
    if (was_stopped || now_switches != last_switches || hub_.running.load(std::memory_order_relaxed) == nullptr) {
      last_switches = now_switches;
      unchanged_since = now;
      continue;
    }
    if (now - unchanged_since >= options_.watchdog_threshold && reported_switches != now_switches) {
      reported_switches = now_switches;
      lock.unlock();
      report(now_switches, now - unchanged_since + step);
      lock.lock();
    }
  }
}

void monitor_impl::report(std::uint64_t switches_seen, clock::duration blocked_for) {
  fiber_context* f = hub_.running.load(std::memory_order_relaxed);
  if (f == nullptr) return;
  blocked_report r;
  // The fiber cannot end while the hub is stuck in it; re-checking the counter after the
  // reads proves the hub was still stuck, so the copies are of a live fiber.
  r.fiber_id = f->id;
  r.fiber_name = f->name;
  std::vector<void*> addresses = capture_addresses(hub_.owner_pthread);
  if (hub_.switches.load(std::memory_order_relaxed) != switches_seen) return;
  blocked_reports_.fetch_add(1, std::memory_order_relaxed);
  r.blocked_for = blocked_for;
  r.backtrace = symbolized(std::move(addresses));  // slow (reads debug info): after the check
  try {
    options_.on_blocked(r);
  } catch (...) {
  }
}

}  // namespace fibersql::detail
