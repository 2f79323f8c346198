#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// A counting semaphore; released units go to waiters in arrival order.
#include <cstddef>

#include <fibersql/runtime/clock.hpp>
#include <fibersql/runtime/detail/wait_list.hpp>

namespace fibersql {

class semaphore {
 public:
  explicit semaphore(std::size_t initial) : count_(initial) {}
  // acquire: takes one unit, waiting if none; false if `limit` passed first.
  // Throws: fiber_exit, timeout_error, misuse_error.
  bool acquire(clock::duration limit = clock::duration::max());
  bool try_acquire() noexcept;
  // release: hands a unit to the longest waiter, or keeps it.
  void release();
  std::size_t available() const noexcept { return count_; }
  std::size_t waiting() const noexcept { return waiters_.size(); }

 private:
  std::size_t count_;
  detail::wait_list waiters_;
};

}  // namespace fibersql
FIBERSQL_PUBLIC_END
