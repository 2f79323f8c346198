#include <fibersql/runtime/semaphore.hpp>

namespace fibersql {

bool semaphore::try_acquire() noexcept {
  // Units released while fibers wait were handed to them; newcomers may not jump the queue.
  if (count_ == 0 || !waiters_.empty()) return false;
  --count_;
  return true;
}

bool semaphore::acquire(clock::duration limit) {
  if (try_acquire()) return true;
  // release() hands its unit straight to the woken waiter (count_ stays as it was),
  // which keeps acquisition FIFO.
  return waiters_.wait("semaphore", deadline_after(limit));
}

void semaphore::release() {
  if (!waiters_.notify_one()) ++count_;
}

}  // namespace fibersql
