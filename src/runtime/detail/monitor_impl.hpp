#pragma once
// Hub latency probe (a timer on the hub) and the watchdog thread (see monitor.hpp).
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include <ev.h>

#include <fibersql/runtime/monitor.hpp>

namespace fibersql::detail {

class hub_impl;

class monitor_impl {
 public:
  monitor_impl(hub_impl& hub, monitor_options options);
  ~monitor_impl();
  monitor_impl(const monitor_impl&) = delete;
  monitor_impl& operator=(const monitor_impl&) = delete;

  latency_stats stats() const;

 private:
  static void on_probe(struct ev_loop* loop, ev_timer* w, int revents);
  void arm_probe();
  void watch();
  void report(std::uint64_t switches_seen, clock::duration blocked_for);

  hub_impl& hub_;
  monitor_options options_;
  ev_timer probe_;
  clock::time_point probe_due_;
  std::vector<std::int64_t> lateness_ns_;  // ring of recent samples; hub thread only
  std::size_t next_sample_ = 0;
  std::size_t total_samples_ = 0;
  std::int64_t max_ns_ = 0;
  std::atomic<std::uint64_t> blocked_reports_{0};

  std::mutex mutex_;
  std::condition_variable wakeup_;
  bool stopping_ = false;  // guarded by mutex_
  std::thread watchdog_;
};

}  // namespace fibersql::detail
