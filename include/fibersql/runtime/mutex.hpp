#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// A fiber mutex (FIFO hand-off); works with std::lock_guard / std::unique_lock.
#include <cstdint>

#include <fibersql/runtime/detail/wait_list.hpp>

namespace fibersql {

class mutex {
 public:
  // lock: Throws: misuse_error when the owner locks again (it would deadlock), fiber_exit.
  void lock();
  bool try_lock();
  // unlock: Throws: misuse_error if the caller is not the owner.
  void unlock();

 private:
  std::uint64_t owner_ = 0;  // fiber id of the holder, 0 when free
  detail::wait_list waiters_;
};

}  // namespace fibersql
FIBERSQL_PUBLIC_END
