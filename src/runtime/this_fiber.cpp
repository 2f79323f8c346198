#include <fibersql/runtime/this_fiber.hpp>

#include "detail/access.hpp"
#include "detail/hub_impl.hpp"

namespace fibersql::this_fiber {

void sleep_for(clock::duration d) {
  sleep_until(deadline_after(d));
}

void sleep_until(deadline until) {
  detail::fiber_context& f = detail::current_fiber("sleep");
  const detail::wake_reason why = detail::park(f, "sleep", until);
  detail::raise_unless_own_deadline(f, why, until);
}

void yield() {
  detail::fiber_context& f = detail::current_fiber("yield");
  detail::raise_unless_own_deadline(f, detail::park_ready(f), no_deadline);
}

std::uint64_t id() noexcept {
  const detail::fiber_context* f = detail::current_fiber_or_null();
  return f ? f->id : 0;
}

const std::string& name() noexcept {
  static const std::string none;
  const detail::fiber_context* f = detail::current_fiber_or_null();
  return f ? f->name : none;
}

fiber self() {
  return detail::fiber_access::make(&detail::current_fiber("this_fiber::self"));
}

bool in_fiber() noexcept {
  return detail::current_fiber_or_null() != nullptr;
}

bool kill_pending() noexcept {
  const detail::fiber_context* f = detail::current_fiber_or_null();
  return f != nullptr && f->kill_requested;
}

}  // namespace fibersql::this_fiber
