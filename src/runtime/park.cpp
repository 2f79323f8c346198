// Parking and waking fibers: the mechanism under every wait.
#include <fibersql/runtime/errors.hpp>
#include <fibersql/runtime/timeout.hpp>

#include "detail/access.hpp"
#include "detail/hub_impl.hpp"

namespace fibersql::detail {
namespace {

void on_deadline(struct ev_loop*, ev_timer* w, int) {
  auto* f = static_cast<fiber_context*>(w->data);
  if (f->state != fiber_state::waiting) return;
  f->wake = wake_reason::timed_out;
  f->hub.make_ready(f);
}

double seconds_until(deadline until) noexcept {
  const double s = std::chrono::duration<double>(until - clock::now()).count();
  return s > 0 ? s : 0;
}

}  // namespace

fiber_context::fiber_context(hub_impl& owner, std::uint64_t fiber_id, std::function<void()> body,
                             spawn_options&& options)
    : hub(owner), id(fiber_id), name(std::move(options.name)), prio(options.priority), fn(std::move(body)) {
  ev_init(&timer, on_deadline);
  timer.data = this;
}

void add_ref(fiber_context* f) noexcept {
  ++f->refs;
}

void report_unjoined_failure(fiber_context& f) noexcept;  // fiber.cpp

void release(fiber_context* f) noexcept {
  if (--f->refs != 0) return;
  if (f->error && !f->error_observed) report_unjoined_failure(*f);
  delete f;
}

fiber_context* current_fiber_or_null() noexcept {
  hub* h = hub::current_or_null();
  return h ? impl_of(*h).current : nullptr;
}

fiber_context& current_fiber(const char* operation) {
  fiber_context* f = current_fiber_or_null();
  if (f == nullptr) {
    throw misuse_error(std::string(operation) +
                       ": called outside any fiber (waiting needs a fiber: use fibersql::run or spawn)");
  }
  return *f;
}

wake_reason park(fiber_context& f, const char* what, deadline until, bool interruptible) {
  if (interruptible) {
    if (f.kill_requested && !f.kills_held()) return wake_reason::killed;
    if (f.earliest_timeout && f.earliest_timeout->expires_at() < until) until = f.earliest_timeout->expires_at();
  }
  hub_impl& h = f.hub;
  const bool timed = until != no_deadline;
  if (timed) {
    // libev counts `after` from its cached loop time, which is stale while fibers run;
    // refresh it or the timer fires early by however long this batch has been running.
    ev_now_update(h.loop);
    const double after = seconds_until(until);
    if (after <= 0) return wake_reason::timed_out;
    ev_timer_set(&f.timer, after, 0.);
    ev_timer_start(h.loop, &f.timer);
  }
  f.state = fiber_state::waiting;
  f.interruptible = interruptible;
  f.waiting_on = what;
  f.wait_since = ev_now(h.loop);
  f.wake = wake_reason::notified;
  f.hub_ctx = std::move(f.hub_ctx).resume();
  f.interruptible = true;
  f.waiting_on = nullptr;
  if (timed) ev_timer_stop(h.loop, &f.timer);
  return f.wake;
}

void wake(fiber_context& f) noexcept {
  if (f.state != fiber_state::waiting) return;
  f.wake = wake_reason::notified;
  f.hub.make_ready(&f);
}

void request_kill(fiber_context& f) noexcept {
  if (f.state == fiber_state::done) return;
  f.kill_requested = true;
  if (f.state == fiber_state::waiting && f.interruptible && !f.kills_held()) {
    f.wake = wake_reason::killed;
    f.hub.make_ready(&f);
  }
}

void raise_unless_own_deadline(fiber_context& f, wake_reason why, deadline until) {
  if (why == wake_reason::killed) throw fiber_exit{};
  if (why == wake_reason::timed_out && f.earliest_timeout && f.earliest_timeout->expires_at() <= until) {
    throw timeout_error(f.earliest_timeout, f.earliest_timeout->limit());
  }
}

wait_list::~wait_list() {
  // Waiters still linked belong to fibers being torn down with the hub; detach them.
  while (waiters_.pop_front() != nullptr) {
  }
}

bool wait_list::wait(const char* what, deadline until) {
  fiber_context& f = current_fiber(what);
  waiter w;
  w.fiber = &f;
  push(w);
  const wake_reason why = park(f, what, until);
  unlink(w);
  if (w.notified) return true;  // a hand-off is never lost to a racing kill or timeout
  raise_unless_own_deadline(f, why, until);
  return false;
}

bool wait_list::notify_one() {
  waiter* w = waiters_.pop_front();
  if (!w) return false;
  w->notified = true;
  wake(*w->fiber);
  return true;
}

void wait_list::notify_all() {
  while (notify_one()) {
  }
}

}  // namespace fibersql::detail

namespace fibersql::detail {

wake_reason park_ready(fiber_context& f) {
  if (f.kill_requested && !f.kills_held()) return wake_reason::killed;
  if (f.earliest_timeout && f.earliest_timeout->expires_at() <= clock::now()) return wake_reason::timed_out;
  f.hub.make_ready(&f);
  f.hub_ctx = std::move(f.hub_ctx).resume();
  return wake_reason::notified;
}

}  // namespace fibersql::detail

namespace fibersql::detail {

std::uint64_t wait_list::front_fiber_id() const noexcept {
  const waiter* w = waiters_.front();
  return w ? w->fiber->id : 0;
}

}  // namespace fibersql::detail
