#include <fibersql/runtime/kill_shield.hpp>

#include "detail/hub_impl.hpp"

namespace fibersql {

kill_shield::kill_shield() {
  ++detail::current_fiber("kill_shield").shields;
}

kill_shield::~kill_shield() {
  if (detail::fiber_context* f = detail::current_fiber_or_null()) --f->shields;
}

}  // namespace fibersql
