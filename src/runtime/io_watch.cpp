#include <fibersql/runtime/io_watch.hpp>

#include <string>

#include <fibersql/runtime/errors.hpp>

#include "detail/access.hpp"
#include "detail/hub_impl.hpp"

namespace fibersql {

struct io_watch::state {
  ev_io io;
  int fd;
  std::uint64_t hub_id;  // the hub whose loop holds `io`
  struct ev_loop* loop;
  detail::fiber_context* waiter = nullptr;  // the fiber parked in wait(), if any
  unsigned ready = 0;

  // The loop is only touched while the hub that owns it is alive and current.
  bool loop_alive() const noexcept {
    hub* h = hub::current_or_null();
    return h != nullptr && detail::impl_of(*h).id == hub_id;
  }
};

namespace {

void on_ready(struct ev_loop* loop, ev_io* w, int revents) {
  auto* st = static_cast<io_watch::state*>(w->data);
  if (st->waiter == nullptr) {
    // Level-triggered: readiness nobody waits for would fire on every loop turn.
    ev_io_stop(loop, w);
    return;
  }
  st->ready = ((revents & EV_READ) ? io_readable : 0u) | ((revents & EV_WRITE) ? io_writable : 0u);
  detail::wake(*st->waiter);
}

}  // namespace

io_watch::io_watch(int fd) {
  detail::hub_impl& h = detail::current_hub("io_watch");
  if (fd < 0) throw misuse_error("io_watch: descriptor " + std::to_string(fd) + " is not open");
  state_ = std::make_unique<state>();
  state_->fd = fd;
  state_->hub_id = h.id;
  state_->loop = h.loop;
  ev_init(&state_->io, on_ready);
  state_->io.data = state_.get();
}

io_watch::~io_watch() {
  reset();
}

void io_watch::reset() noexcept {
  if (state_ && ev_is_active(&state_->io) && state_->loop_alive()) ev_io_stop(state_->loop, &state_->io);
}

int io_watch::fd() const noexcept {
  return state_->fd;
}

bool io_watch::on_current_hub() const noexcept {
  return state_->loop_alive();
}

unsigned io_watch::wait(unsigned events, deadline until) {
  detail::fiber_context& f = detail::current_fiber("io_watch::wait");
  state& st = *state_;
  if (f.hub.id != st.hub_id) throw misuse_error("io_watch::wait: the watch belongs to another hub");
  if (st.waiter != nullptr) {
    throw misuse_error("io_watch::wait: fiber " + std::to_string(st.waiter->id) + " already waits on descriptor " +
                       std::to_string(st.fd));
  }
  const int wanted = ((events & io_readable) ? EV_READ : 0) | ((events & io_writable) ? EV_WRITE : 0);
  if (wanted == 0) throw misuse_error("io_watch::wait: no events asked (expected io_readable and/or io_writable)");
  if (!ev_is_active(&st.io) || (st.io.events & (EV_READ | EV_WRITE)) != wanted) {
    if (ev_is_active(&st.io)) ev_io_stop(st.loop, &st.io);
    ev_io_set(&st.io, st.fd, wanted);
    ev_io_start(st.loop, &st.io);
  }
  st.waiter = &f;
  st.ready = 0;
  const detail::wake_reason why = detail::park(f, "io", until);
  st.waiter = nullptr;
  if (why == detail::wake_reason::notified) return st.ready;
  detail::raise_unless_own_deadline(f, why, until);
  return io_none;
}

}  // namespace fibersql
