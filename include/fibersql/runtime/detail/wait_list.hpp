#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// The one blocking mechanism every primitive is built on: a FIFO of parked fibers.
#include <cstddef>
#include <cstdint>

#include <fibersql/runtime/clock.hpp>
#include <fibersql/runtime/detail/intrusive_list.hpp>

namespace fibersql::detail {

struct fiber_context;

// A parked fiber's entry in a wait_list; lives on the waiting fiber's stack.
struct waiter {
  fiber_context* fiber = nullptr;
  list_links<waiter> links;
  bool notified = false;
};

class wait_list {
 public:
  wait_list() = default;
  wait_list(const wait_list&) = delete;
  wait_list& operator=(const wait_list&) = delete;
  ~wait_list();

  // wait: parks the calling fiber until notified or until `until` passes.
  // Returns true if notified, false if `until` passed first.
  // Throws: fiber_exit if killed, timeout_error if an enclosing timeout scope expired,
  // misuse_error outside a fiber. `what` names the wait in run-info dumps.
  bool wait(const char* what, deadline until = no_deadline);
  // notify_one: wakes the longest waiter; false if none waited.
  bool notify_one();
  void notify_all();
  bool empty() const noexcept { return waiters_.empty(); }
  std::size_t size() const noexcept { return waiters_.size(); }
  // Id of the fiber that notify_one() would wake; 0 if none waits.
  std::uint64_t front_fiber_id() const noexcept;

  // Low-level linking, for waits on several lists at once (wait_any).
  void push(waiter& w) noexcept { waiters_.push_back(w); }
  void unlink(waiter& w) noexcept { waiters_.unlink(w); }

 private:
  intrusive_list<waiter, &waiter::links> waiters_;
};

}  // namespace fibersql::detail
FIBERSQL_PUBLIC_END
