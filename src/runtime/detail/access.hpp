#pragma once
// The runtime's way into the public handles' internals: a hub's hub_impl, a fiber handle's
// fiber_context. Public headers only befriend these two structs, so users cannot reach them.
#include <fibersql/runtime/fiber.hpp>
#include <fibersql/runtime/hub.hpp>

namespace fibersql::detail {

struct hub_access {
  static hub_impl& impl(hub& h) noexcept { return *h.impl_; }
};

struct fiber_access {
  // make: a new handle to `ctx` (takes a reference).
  static fiber make(fiber_context* ctx) noexcept { return fiber(ctx); }
  static fiber_context* context(const fiber& f) noexcept { return f.ctx_; }
};

inline hub_impl& impl_of(hub& h) noexcept {
  return hub_access::impl(h);
}

inline fiber_context* context_of(const fiber& f) noexcept {
  return fiber_access::context(f);
}

}  // namespace fibersql::detail
