// The on_statement hook that feeds the calling fiber's counters and repeat detectors.
#include <fibersql/orm/repeat_detector.hpp>
#include <fibersql/orm/statement_counter.hpp>
#include <fibersql/orm/statement_observer.hpp>
#include <fibersql/runtime/fiber_local.hpp>
#include <fibersql/runtime/this_fiber.hpp>

#include "detail/fiber_observers.hpp"

namespace fibersql::orm {

namespace detail {
namespace {
fiber_local<fiber_observers>& observers() {
  static fiber_local<fiber_observers> local;
  return local;
}
}  // namespace

fiber_observers& this_fiber_observers() {
  return observers().get();
}

fiber_observers* this_fiber_observers_if_any() noexcept {
  if (!this_fiber::in_fiber()) return nullptr;
  return observers().get_if();
}
}  // namespace detail

void observe_statements(const db::statement_event& e) noexcept {
  detail::fiber_observers* o = detail::this_fiber_observers_if_any();
  if (o == nullptr) return;
  for (statement_counter* c = o->counters; c != nullptr; c = c->outer_) ++c->count_;
  if (o->detectors == nullptr) return;
  const std::uint64_t shape = detail::lookup_shape(e);
  if (shape == 0) return;
  for (repeat_detector* d = o->detectors; d != nullptr; d = d->outer_) d->see(e, shape);
}

db::database_options observed(db::database_options o) {
  if (!o.on_statement) {
    o.on_statement = observe_statements;
    return o;
  }
  o.on_statement = [first = std::move(o.on_statement)](const db::statement_event& e) {
    first(e);
    observe_statements(e);
  };
  return o;
}

}  // namespace fibersql::orm
