// connection_scope: gives the fiber's connection back at the end of the outermost scope.
#include <fibersql/db/connection_scope.hpp>

#include <fibersql/runtime/this_fiber.hpp>

#include "detail/state.hpp"

namespace fibersql::db {

connection_scope::connection_scope(std::shared_ptr<detail::fiber_slot> slot) noexcept : slot_(std::move(slot)) {
  ++slot_->scopes;
}

connection_scope::connection_scope(connection_scope&& other) noexcept : slot_(std::move(other.slot_)) {}

connection_scope::~connection_scope() {
  if (!slot_) return;
  detail::fiber_slot& s = *slot_;
  // A scope moved to another fiber, or one whose fiber already ended: the hook owns it all.
  if (s.ended || s.fiber_id != this_fiber::id()) return;
  if (--s.scopes != 0) return;
  s.return_pending = s.conn != nullptr;  // cleared by the release; else at the transaction's end
  s.state->return_if_idle(s);
}

}  // namespace fibersql::db
