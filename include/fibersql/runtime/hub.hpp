#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// The hub: one per thread, owns one libev loop, runs every fiber of its thread.
// Scheduling is asymmetric: every switch goes fiber -> hub -> fiber.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include <fibersql/runtime/clock.hpp>
#include <fibersql/runtime/fiber.hpp>
#include <fibersql/runtime/monitor.hpp>

namespace fibersql {

namespace detail {
class hub_impl;
struct hub_access;
}  // namespace detail

// One line of the run-info dump.
struct fiber_info {
  std::uint64_t id = 0;
  std::string name{};
  std::string state{};       // "ready", "running", "waiting", "ending"
  std::string waiting_on{};  // what the fiber waits for ("sleep", "io", "channel receive"...)
  clock::duration waiting_for{};
};

class hub {
 public:
  // Creates the calling thread's hub. Throws: misuse_error if the thread already has one.
  hub();
  // Kills every fiber still alive and runs them to their end, so that their fiber-local
  // cleanup (closing connections) runs in their own context before the loop goes away.
  ~hub();
  hub(const hub&) = delete;
  hub& operator=(const hub&) = delete;

  // The calling thread's hub. Throws: misuse_error if it has none.
  static hub& current();
  static hub* current_or_null() noexcept;

  // run: runs fibers until none is left. Throws: misuse_error on deadlock (fibers remain but
  // nothing can ever wake them) or when called from a fiber or another thread.
  void run();
  // run_until: runs until `f` has ended (other fibers stay alive).
  void run_until(const fiber& f);
  // serve: runs fibers and posted work until stop(); for hubs that other threads post to.
  void serve();
  // stop: makes serve() return. Callable from any thread.
  void stop();
  // post: runs `fn` in a new fiber on this hub. Callable from any thread.
  void post(std::function<void()> fn, spawn_options options = {});

  std::size_t live_fibers() const noexcept;
  // Switches into fibers since the hub started (assert_switches uses it).
  std::uint64_t switch_count() const noexcept;
  // The run-info dump: every live fiber, what it waits on and for how long.
  std::vector<fiber_info> dump() const;
  std::string dump_text() const;

  // start_monitor: begins measuring latency and (if enabled) watching for blocking fibers.
  void start_monitor(monitor_options options = {});
  void stop_monitor();
  latency_stats latency() const;

 private:
  // The runtime reaches the hub's internals through src/runtime/detail/access.hpp; the loop is
  // public only as native_loop() (fibersql/runtime/native_loop.hpp).
  friend struct detail::hub_access;
  std::unique_ptr<detail::hub_impl> impl_;
};

// run: gives the calling thread a hub, runs `fn` as its main fiber, then kills whatever
// fibers are left (their cleanup runs) and returns fn's value or rethrows its exception.
template <class F>
auto run(F&& fn) -> std::invoke_result_t<F&> {
  using R = std::invoke_result_t<F&>;
  hub h;
  std::conditional_t<std::is_void_v<R>, bool, std::optional<R>> out{};
  fiber main_fiber = spawn(
      [&] {
        if constexpr (std::is_void_v<R>) {
          fn();
        } else {
          out.emplace(fn());
        }
      },
      {.name = "main"});
  h.run_until(main_fiber);
  main_fiber.join();
  if constexpr (!std::is_void_v<R>) return std::move(*out);
}

// A thread with its own hub serving posted work; stops and joins on destruction.
class hub_thread {
 public:
  hub_thread();
  ~hub_thread();
  hub& get() noexcept { return *hub_; }

 private:
  hub* hub_ = nullptr;
  std::thread thread_;
};

}  // namespace fibersql
FIBERSQL_PUBLIC_END
