// The monitor: hub latency figures and the watchdog naming a fiber that holds the hub.
#include <atomic>
#include <mutex>
#include <string>

#include "runtime_test.hpp"

namespace fibersql {
namespace {

using namespace std::chrono_literals;
using testing::runtime_test;
class monitor_test : public runtime_test {};

// noinline and outside the anonymous namespace's inlining reach, so the watchdog's backtrace
// has a frame that names it.
[[gnu::noinline]] void spin_for(clock::duration d) {
  const auto until = clock::now() + d;
  while (clock::now() < until) {
  }
}

TEST_F(monitor_test, latency_is_small_on_an_idle_hub_and_shows_a_blocking_fiber) {
  run([] {
    hub::current().start_monitor({.latency_interval = 2ms, .watchdog_threshold = 0ms});
    this_fiber::sleep_for(100ms);
    const latency_stats idle = hub::current().latency();
    EXPECT_GE(idle.samples, 20u);
    EXPECT_LT(idle.p50, 5ms);
    spin_for(50ms);
    this_fiber::sleep_for(10ms);
    const latency_stats after = hub::current().latency();
    EXPECT_GE(after.max, 40ms);
    hub::current().stop_monitor();
  });
}

TEST_F(monitor_test, watchdog_names_a_fiber_spinning_300ms_with_its_backtrace) {
  std::mutex m;
  std::vector<blocked_report> reports;
  run([&] {
    hub::current().start_monitor({.watchdog_threshold = 100ms, .on_blocked = [&](const blocked_report& r) {
                                    std::lock_guard lock(m);
                                    reports.push_back(r);
                                  }});
    auto spinner = spawn([] { spin_for(300ms); }, {.name = "cpu-hog"});
    spinner.join();
    this_fiber::sleep_for(20ms);
    EXPECT_EQ(hub::current().latency().blocked_reports, 1u);
    hub::current().stop_monitor();
  });
  std::lock_guard lock(m);
  ASSERT_EQ(reports.size(), 1u) << "one report per blocking episode";
  EXPECT_EQ(reports[0].fiber_name, "cpu-hog");
  EXPECT_NE(reports[0].fiber_id, 0u);
  EXPECT_GE(reports[0].blocked_for, 100ms);
  ASSERT_FALSE(reports[0].backtrace.empty());
  // Symbolized: demangled function names (addresses only, "(+0x20f51)", before), and with
  // debug info file:line as well.
  std::string all;
  for (const auto& frame : reports[0].backtrace) all += frame + "\n";
  EXPECT_NE(all.find("spin_for("), std::string::npos) << all;
#ifdef FIBERSQL_TEST_HAS_DEBUG_INFO
  EXPECT_NE(all.find("monitor_test.cpp:"), std::string::npos) << all;
#endif
}

TEST_F(monitor_test, watchdog_stays_quiet_for_fibers_that_wait) {
  std::atomic<int> reports{0};
  run([&] {
    hub::current().start_monitor({.watchdog_threshold = 50ms, .on_blocked = [&](const blocked_report&) { ++reports; }});
    for (int i = 0; i < 20; ++i) {
      spin_for(5ms);
      this_fiber::sleep_for(5ms);
    }
    hub::current().stop_monitor();
  });
  EXPECT_EQ(reports.load(), 0);
}

TEST_F(monitor_test, bad_interval_is_refused) {
  run([] { EXPECT_THROW(hub::current().start_monitor({.latency_interval = 0ms}), std::invalid_argument); });
}

}  // namespace
}  // namespace fibersql
