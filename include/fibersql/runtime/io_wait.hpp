#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// The one door from drivers to the event loop: wait until a descriptor is ready.
#include <fibersql/runtime/clock.hpp>

namespace fibersql {

enum io_events : unsigned { io_none = 0, io_readable = 1, io_writable = 2 };

// wait_io: parks the fiber until `fd` is ready for any of `events` or `until` passes.
// Returns the events that are ready, io_none if `until` passed first.
// Throws: fiber_exit (killed), timeout_error (enclosing timeout scope), misuse_error.
unsigned wait_io(int fd, unsigned events, deadline until = no_deadline);
inline bool wait_readable(int fd, deadline until = no_deadline) {
  return wait_io(fd, io_readable, until) != io_none;
}
inline bool wait_writable(int fd, deadline until = no_deadline) {
  return wait_io(fd, io_writable, until) != io_none;
}

}  // namespace fibersql
FIBERSQL_PUBLIC_END
