#include <fibersql/runtime/mutex.hpp>

#include <string>

#include <fibersql/runtime/errors.hpp>

#include "detail/hub_impl.hpp"

namespace fibersql {

void mutex::lock() {
  const std::uint64_t self = detail::current_fiber("mutex::lock").id;
  if (owner_ == self) throw misuse_error("mutex::lock: fiber " + std::to_string(self) + " already holds this mutex");
  if (owner_ == 0 && waiters_.empty()) {
    owner_ = self;
    return;
  }
  waiters_.wait("mutex");  // unlock() makes us the owner before waking us
}

bool mutex::try_lock() {
  const std::uint64_t self = detail::current_fiber("mutex::try_lock").id;
  if (owner_ != 0 || !waiters_.empty()) return false;
  owner_ = self;
  return true;
}

void mutex::unlock() {
  detail::fiber_context* f = detail::current_fiber_or_null();
  const std::uint64_t self = f ? f->id : 0;
  if (owner_ != self) {
    throw misuse_error("mutex::unlock: fiber " + std::to_string(self) + " does not hold this mutex (owner " +
                       std::to_string(owner_) + ")");
  }
  owner_ = 0;
  if (!waiters_.empty()) {
    owner_ = waiters_.front_fiber_id();
    waiters_.notify_one();
  }
}

}  // namespace fibersql
