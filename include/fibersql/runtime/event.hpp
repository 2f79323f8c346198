#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// A manual-reset event: wait() passes once set() until clear().
#include <fibersql/runtime/clock.hpp>
#include <fibersql/runtime/detail/wait_list.hpp>

namespace fibersql {

class event {
 public:
  // set: wakes every waiter (FIFO); later waits pass until clear().
  void set();
  void clear() noexcept { set_ = false; }
  bool is_set() const noexcept { return set_; }
  // wait: returns true once set, false if `limit` passed first.
  // Throws: fiber_exit, timeout_error, misuse_error (outside a fiber).
  bool wait(clock::duration limit = clock::duration::max());

 private:
  bool set_ = false;
  detail::wait_list waiters_;
};

}  // namespace fibersql
FIBERSQL_PUBLIC_END
