// statement_counter: a scope linked into the calling fiber's observers.
#include <fibersql/orm/statement_counter.hpp>

#include "detail/fiber_observers.hpp"

namespace fibersql::orm {

statement_counter::statement_counter() : owner_(&detail::this_fiber_observers()) {
  outer_ = owner_->counters;
  owner_->counters = this;
}

statement_counter::~statement_counter() {
  detail::unlink<statement_counter, &statement_counter::outer_>(owner_->counters, this);
}

}  // namespace fibersql::orm
