#include <fibersql/runtime/fiber_group.hpp>

#include <algorithm>
#include <stdexcept>

#include <fibersql/runtime/detail/scope_exit.hpp>

#include "detail/access.hpp"
#include "detail/hub_impl.hpp"

namespace fibersql {

fiber_group::fiber_group(std::size_t limit, spawn_options defaults)
    : limit_(limit), defaults_(std::move(defaults)), slots_(std::make_shared<semaphore>(limit)) {
  if (limit == 0) throw std::invalid_argument("fiber_group limit must be >= 1, got 0");
}

fiber_group::~fiber_group() {
  for (const fiber& f : members_) {
    if (!f.done()) detail::request_kill(*detail::context_of(f));
  }
}

fiber fiber_group::spawn(std::function<void()> fn) {
  slots_->acquire();
  std::erase_if(members_, [](const fiber& f) { return f.done(); });
  detail::scope_exit unreserve = [this]() noexcept { slots_->release(); };  // if spawn throws
  fiber f = fibersql::spawn(
      [slots = slots_, fn = std::move(fn)] {
        detail::scope_exit give_back = [&slots]() noexcept { slots->release(); };
        fn();
      },
      defaults_);
  std::move(unreserve).cancel();  // the fiber owns the slot now
  members_.push_back(f);
  return f;
}

void fiber_group::join() {
  std::vector<fiber> members = members_;
  join_all(members);
}

void fiber_group::kill() {
  for (const fiber& f : members_) {
    if (!f.done()) detail::request_kill(*detail::context_of(f));
  }
}

}  // namespace fibersql
