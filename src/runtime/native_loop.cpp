#include <fibersql/runtime/native_loop.hpp>

#include "detail/access.hpp"
#include "detail/hub_impl.hpp"

namespace fibersql {

struct ev_loop* native_loop(hub& h) noexcept {
  return detail::impl_of(h).loop;
}

}  // namespace fibersql
