#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// The hub's libev loop, for integrating another event-driven library (one that takes an
// ev_loop*, or whose watchers you register with libev yourself) into the same thread.
//
// Rules: use it only on the hub's own thread; watchers you start keep the loop (and so
// hub::run()) alive unless you ev_unref() them, exactly as in plain libev; stop every watcher
// before the hub is destroyed. Callbacks run on the hub, outside any fiber: they must not
// wait (they may spawn a fiber or wake one through a fibersql primitive such as an event).
struct ev_loop;

namespace fibersql {

class hub;

// native_loop: the ev_loop `h` runs. Never null while `h` lives.
struct ev_loop* native_loop(hub& h) noexcept;

}  // namespace fibersql
FIBERSQL_PUBLIC_END
