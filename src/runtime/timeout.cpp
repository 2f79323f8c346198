#include <fibersql/runtime/timeout.hpp>

#include <string>

#include "detail/hub_impl.hpp"

namespace fibersql {

timeout_error::timeout_error(const void* scope, std::chrono::steady_clock::duration limit)
    : std::runtime_error("timed out after " +
                         std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(limit).count()) + " ms"),
      scope_(scope) {}

timeout::timeout(clock::duration limit) : limit_(limit), deadline_(deadline_after(limit)) {
  detail::fiber_context& f = detail::current_fiber("timeout");
  outer_ = f.earliest_timeout;
  if (outer_ == nullptr || deadline_ < outer_->deadline_) f.earliest_timeout = this;
}

timeout::~timeout() {
  // Scopes nest strictly, so the earliest one before this scope began is earliest again.
  if (detail::fiber_context* f = detail::current_fiber_or_null()) f->earliest_timeout = outer_;
}

}  // namespace fibersql
