#pragma once
// The control block of one fiber. Owned by its hub while alive (one reference) and by each
// `fiber` handle (one reference each); references are hub-thread-only.
#include <cstdint>
#include <exception>
#include <functional>
#include <string>
#include <vector>

#include <ev.h>
#include <boost/context/fiber.hpp>

#include <fibersql/runtime/clock.hpp>
#include <fibersql/runtime/detail/intrusive_list.hpp>
#include <fibersql/runtime/detail/wait_list.hpp>
#include <fibersql/runtime/fiber.hpp>

namespace fibersql {
class timeout;
}

namespace fibersql::detail {

class hub_impl;

enum class fiber_state : std::uint8_t { ready, running, waiting, done };
enum class wake_reason : std::uint8_t { notified, timed_out, killed };

struct fiber_local_slot {
  std::uint64_t key;
  void* object;
  void (*destroy)(void*);
};

struct fiber_context {
  // True while a kill must not interrupt this fiber: fiber-local cleanup or a kill_shield.
  bool kills_held() const noexcept { return cleaning || shields != 0; }

  fiber_context(hub_impl& owner, std::uint64_t fiber_id, std::function<void()> body, spawn_options&& options);

  hub_impl& hub;
  const std::uint64_t id;
  const std::string name;
  const priority prio;
  std::function<void()> fn;

  boost::context::fiber ctx;      // the fiber itself, while it is not running
  boost::context::fiber hub_ctx;  // the hub, while the fiber runs

  fiber_state state = fiber_state::ready;
  wake_reason wake = wake_reason::notified;
  bool kill_requested = false;
  bool killed = false;          // ended by fiber_exit
  bool cleaning = false;        // running fiber-local destructors: kills are held back
  bool interruptible = true;    // the current wait may be ended by kill or timeout scopes
  unsigned shields = 0;         // open kill_shield scopes: kills are held back while > 0
  bool error_observed = false;  // a join saw `error`
  std::exception_ptr error;     // what the body threw (not fiber_exit)
  unsigned refs = 1;
  unsigned remote_wakes = 0;  // wakes posted from other threads, not yet consumed

  // Current wait, for dumps: what (static string) and since when (loop time).
  const char* waiting_on = nullptr;
  ev_tstamp wait_since = 0;
  ev_timer timer;  // the deadline of the current wait
  ev_io io;        // the descriptor of the current wait_io
  unsigned io_ready = 0;

  const timeout* earliest_timeout = nullptr;  // the scope whose deadline comes first
  wait_list joiners;
  std::vector<fiber_local_slot> locals;

  fiber_context* next_ready = nullptr;
  list_links<fiber_context> live;  // the hub's list of fibers not yet finished
};

void add_ref(fiber_context* f) noexcept;
void release(fiber_context* f) noexcept;

// The running fiber. Throws: misuse_error naming `operation` outside any fiber.
fiber_context& current_fiber(const char* operation);
fiber_context* current_fiber_or_null() noexcept;

// park: suspends the running fiber until wake(), the earlier of `until` and its timeout
// scopes, or kill (unless `interruptible` is false). Returns why it woke.
wake_reason park(fiber_context& f, const char* what, deadline until, bool interruptible = true);
// park_ready: goes to the back of the ready queue (yield); kill and expired scopes still count.
wake_reason park_ready(fiber_context& f);
// wake: makes a parked fiber ready with reason `notified`; no effect on others.
void wake(fiber_context& f) noexcept;
// request_kill: fiber_exit at the fiber's next (interruptible) wait point.
void request_kill(fiber_context& f) noexcept;
// Turns a non-notified wake into the exception it stands for; returns normally only for an
// own deadline (`until`) that passed. Throws: fiber_exit, timeout_error.
void raise_unless_own_deadline(fiber_context& f, wake_reason why, deadline until);

}  // namespace fibersql::detail
