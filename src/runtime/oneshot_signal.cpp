#include <fibersql/runtime/detail/oneshot_signal.hpp>
#include <fibersql/runtime/detail/scope_exit.hpp>

#include <algorithm>

#include "detail/access.hpp"
#include "detail/hub_impl.hpp"

namespace fibersql::detail {

bool oneshot_signal::fired() const {
  std::lock_guard lock(mutex_);
  return fired_;
}

bool oneshot_signal::fire() {
  std::vector<remote_waiter> woken;
  {
    std::lock_guard lock(mutex_);
    if (fired_) return false;
    fired_ = true;
    woken.swap(waiters_);
    for (auto& w : woken) *w.taken = true;
  }
  // Every wake goes through the waiter's hub mailbox, even from its own thread: the waiter
  // counts it (remote_wakes), which is how it knows no wake is still in flight.
  for (auto& w : woken) impl_of(*w.hub).post_wake(w.fiber);
  return true;
}

bool oneshot_signal::wait(deadline until, bool interruptible) {
  fiber_context& f = current_fiber("async_result::get");
  bool taken = false;
  {
    std::lock_guard lock(mutex_);
    if (fired_) return true;
    waiters_.push_back({&f.hub.public_hub, &f, &taken});
  }
  // The hub must keep waiting for the other thread: not a deadlock.
  ev_ref(f.hub.loop);
  scope_exit keep_alive = [&f]() noexcept { ev_unref(f.hub.loop); };
  wake_reason why = wake_reason::notified;
  while (f.remote_wakes == 0) {
    why = park(f, "async_result", until, interruptible);
    if (why == wake_reason::notified) continue;
    std::unique_lock lock(mutex_);
    if (!taken) {
      auto self =
          std::find_if(waiters_.begin(), waiters_.end(), [&](const remote_waiter& w) { return w.taken == &taken; });
      waiters_.erase(self);
      lock.unlock();
      raise_unless_own_deadline(f, why, until);
      return false;
    }
    lock.unlock();
    // Fired meanwhile: its wake is in flight and refers to this fiber, so wait for it.
    while (f.remote_wakes == 0) park(f, "async_result wake in flight", no_deadline, false);
  }
  --f.remote_wakes;
  return true;
}

}  // namespace fibersql::detail
