#include <fibersql/runtime/io_wait.hpp>

#include <fibersql/runtime/errors.hpp>

#include "detail/hub_impl.hpp"

namespace fibersql {
namespace {

void on_io(struct ev_loop*, ev_io* w, int revents) {
  auto* f = static_cast<detail::fiber_context*>(w->data);
  f->io_ready = ((revents & EV_READ) ? io_readable : 0u) | ((revents & EV_WRITE) ? io_writable : 0u);
  detail::wake(*f);
}

}  // namespace

unsigned wait_io(int fd, unsigned events, deadline until) {
  detail::fiber_context& f = detail::current_fiber("wait_io");
  if (fd < 0) throw misuse_error("wait_io: descriptor " + std::to_string(fd) + " is not open");
  const int ev_events = ((events & io_readable) ? EV_READ : 0) | ((events & io_writable) ? EV_WRITE : 0);
  if (ev_events == 0) throw misuse_error("wait_io: no events asked (expected io_readable and/or io_writable)");
  ev_io_init(&f.io, on_io, fd, ev_events);
  f.io.data = &f;
  f.io_ready = 0;
  ev_io_start(f.hub.loop, &f.io);
  const detail::wake_reason why = detail::park(f, "io", until);
  ev_io_stop(f.hub.loop, &f.io);
  if (why == detail::wake_reason::notified) return f.io_ready;
  detail::raise_unless_own_deadline(f, why, until);
  return io_none;
}

}  // namespace fibersql
