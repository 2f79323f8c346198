#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// A thread-safe one-shot flag that fibers on any hub can wait for.
#include <mutex>
#include <vector>

#include <fibersql/runtime/clock.hpp>

namespace fibersql {
class hub;
}

namespace fibersql::detail {

struct fiber_context;

class oneshot_signal {
 public:
  // wait: parks the calling fiber until fire(); false if `until` passed first.
  // Throws: fiber_exit, timeout_error, misuse_error. With interruptible = false, kills and
  // timeout scopes are ignored (seen at the next wait) and only fire() or `until` end it.
  bool wait(deadline until, bool interruptible = true);
  // fire: wakes every waiter, whatever hub or thread it is on. Callable from any thread.
  // Returns false if it had fired already.
  bool fire();
  bool fired() const;

 private:
  struct remote_waiter {
    fibersql::hub* hub;
    fiber_context* fiber;
    bool* taken;  // set under mutex_ when fire() has posted this waiter's wake
  };
  mutable std::mutex mutex_;
  bool fired_ = false;
  std::vector<remote_waiter> waiters_;
};

}  // namespace fibersql::detail
FIBERSQL_PUBLIC_END
