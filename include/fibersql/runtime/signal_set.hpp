#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Waiting for process signals (SIGTERM, SIGINT...) in a fiber: the start of a graceful
// shutdown. Built on libev's signal watcher: the process-wide handler only records the signal
// and wakes the owning hub's loop, so nothing unsafe runs in signal context.
//
// One owner per signal: a signal number is caught by at most one signal_set in the process
// (libev can attach a signal to one loop only). While the set lives, the signal's default
// action (terminate) is replaced; when it is destroyed, the default comes back.
#include <cstddef>
#include <deque>
#include <initializer_list>
#include <memory>
#include <vector>

#include <fibersql/runtime/clock.hpp>
#include <fibersql/runtime/detail/wait_list.hpp>

namespace fibersql {

namespace detail {
class hub_impl;
}

class signal_set {
 public:
  // signal_set: starts catching `signals` on the calling thread's hub; signals that arrive
  // before wait() are queued. Throws: misuse_error without a hub, for a signal number outside
  // 1..64 or SIGKILL/SIGSTOP, or for a signal another signal_set already catches.
  explicit signal_set(std::initializer_list<int> signals);
  // Stops catching (the default actions return). Fiber-safety: on the owning hub's thread.
  ~signal_set();
  signal_set(const signal_set&) = delete;
  signal_set& operator=(const signal_set&) = delete;

  // wait: returns the oldest caught signal not yet returned, waiting for one if none; 0 if
  // `until` passed first. A hub whose fibers all wait here is not deadlocked (a signal may
  // come). Throws: fiber_exit, timeout_error (scope), misuse_error (outside a fiber).
  int wait(deadline until = no_deadline);
  // Caught signals not yet returned by wait().
  std::size_t pending() const noexcept { return caught_.size(); }

  struct watcher;  // one libev signal watcher; opaque

 private:
  void caught(int signum);

  detail::hub_impl* hub_;
  std::vector<std::unique_ptr<watcher>> watchers_;
  std::deque<int> caught_;  // on the hub thread only
  detail::wait_list waiters_;
};

// wait_signal: catches `signals` for the length of the call and returns the first that
// arrives (0 if `until` passes first). Signals outside the call take their default action;
// keep a signal_set instead to catch them for a longer span.
// Throws: as signal_set's constructor and wait().
int wait_signal(std::initializer_list<int> signals, deadline until = no_deadline);

}  // namespace fibersql
FIBERSQL_PUBLIC_END
