#include "detail/pool_impl.hpp"

#include <algorithm>
#include <stdexcept>

#include <fibersql/runtime/detail/wait_list.hpp>
#include <fibersql/runtime/errors.hpp>
#include <fibersql/runtime/this_fiber.hpp>
#include <fibersql/runtime/timeout.hpp>
#include <fibersql/sql/errors.hpp>

namespace fibersql::pool::detail {
namespace {

long long to_ms(clock::duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

// The options the pool runs with: max_idle clamped to max_open (Go's rule), then validated.
pool::pool_options checked(pool::pool_options options) {
  options = pool::clamped(std::move(options));
  pool::validate(options);
  return options;
}

}  // namespace

pool_impl::pool_impl(lease_factory factory, pool::pool_options options)
    : factory_(std::move(factory)), core_(checked(std::move(options))) {
  if (!factory_) throw std::invalid_argument("fibersql::pool::connection_pool: the connection factory is empty");
  factory_ = [this, open = std::move(factory_)] {  // every open goes through here: count it per host
    std::unique_ptr<db::lease> l = open();
    if (l) hosts_.opened(l->get());
    return l;
  };
}

pool_impl::~pool_impl() {
  // Handles keep this alive, so only connections in transit when a fiber died can remain.
  while (node* n = core_.first_node()) close_slot(static_cast<pool_slot&>(*n), close_reason::pool_closed);
}

std::string pool_impl::describe() const {
  return "pool '" + options().name + "' (max_open=" + std::to_string(options().max_open) + ")";
}

pool::pooled_connection pool_impl::acquire() {
  // `now` is read once per wait or IO, not per step: on VMs the clock costs more than the
  // pool's own bookkeeping (docs/performance.md, "Pool").
  time_point now = clock::now();
  const deadline until = options().acquire_timeout >= no_deadline - now ? no_deadline : now + options().acquire_timeout;
  ensure_maintainer();
  pool_core::step step = core_.start_acquire();
  for (;;) {
    switch (step.kind) {
      case pool_core::step_kind::closed:
        throw interface_error(0, "HY000", describe() + " is closed");
      case pool_core::step_kind::wait:
        step = wait_turn(until, now);
        break;
      case pool_core::step_kind::open_new:
        return hand_out(*open_reserved(until, now), now);
      case pool_core::step_kind::take_idle: {
        auto& s = static_cast<pool_slot&>(*step.n);
        std::optional<pool_core::step> next = checkout(s, until, now);
        if (!next) return hand_out(s, now);
        step = *next;
        break;
      }
    }
  }
}

pool_core::step pool_impl::wait_turn(deadline until, time_point& now) {
  fiber_waiter w;
  core_.enqueue(w, now);
  bool served = false;
  try {
    // A hand-off (notify) always wins over a racing timeout or kill, so nothing handed to
    // this waiter can be lost: if served is false, the core never chose this waiter.
    served = w.parked.wait("pool acquire", until);
  } catch (...) {
    core_.cancel(w, clock::now(), false);
    throw;
  }
  if (!served) {
    const std::size_t waiting = core_.waiting();
    core_.cancel(w, clock::now(), true);
    throw_timeout(waiting, false);
  }
  now = clock::now();
  core_.end_wait(w, now);
  switch (w.result) {
    case pool_waiter::outcome::handed:
      return {pool_core::step_kind::take_idle, w.handed};
    case pool_waiter::outcome::open_permit:
      return {pool_core::step_kind::open_new};
    default:
      return {pool_core::step_kind::closed};
  }
}

pool_slot* pool_impl::open_reserved(deadline until, time_point& now) {
  std::unique_ptr<db::lease> opened;
  const clock::duration left = until - now;
  bool timed_out = left <= clock::duration::zero();
  if (!timed_out) {
    try {
      // The whole acquire stays within acquire_timeout, connect included.
      timeout limit(left);
      try {
        opened = factory_();
      } catch (const timeout_error& e) {
        if (!limit.owns(e)) throw;
        timed_out = true;
      }
    } catch (...) {
      wake(core_.open_failed(false));
      throw;
    }
  }
  if (!opened) {  // out of time, or the factory gave nothing: the slot is free again
    wake(core_.open_failed(false));
    if (timed_out) throw_timeout(core_.waiting(), true);
    throw operational_error(0, "HY000", describe() + ": the connection factory returned no connection");
  }
  now = clock::now();
  auto* s = new pool_slot(std::move(opened));
  core_.opened(*s, now, false);
  return s;
}

std::optional<pool_core::step> pool_impl::checkout(pool_slot& s, deadline until, time_point& now) {
  const checkout_action action = s.checkout(now, options());
  if (action == checkout_action::ready) return std::nullopt;
  if (action != checkout_action::expire) {
    const clock::duration left = until - now;
    if (left <= clock::duration::zero()) {
      // Out of time before the check: the connection is fine, give it back untouched.
      settle(s, core_.put(s, now));
      throw_timeout(core_.waiting(), false);
    }
    // A passed check keeps `now` (the check's start): a round trip's staleness is harmless.
    if (verify(s, action == checkout_action::reset, std::min(left, options().validation_timeout), now)) {
      return std::nullopt;
    }
    now = clock::now();
  }
  // Expired or failed its check: close it; the caller keeps its place in line.
  const close_reason why = action == checkout_action::expire ? close_reason::max_lifetime : close_reason::broken;
  hosts_.closed(*s.conn, action != checkout_action::expire);
  return retire(s, [&](pool_slot& n) { return core_.replace(n, why); });
}

bool pool_impl::verify(pool_slot& s, bool reset, clock::duration limit, time_point now) {
  try {
    timeout scope(limit);
    try {
      if (reset) {
        s.conn->reset();
      } else {
        s.conn->ping();
      }
    } catch (const timeout_error& e) {
      if (!scope.owns(e)) throw;
      return false;
    }
  } catch (const fibersql::error&) {
    return false;  // the check failed; nothing reached the server on the caller's behalf
  } catch (...) {
    close_slot(s, close_reason::broken);  // killed or an outer timeout: state unknown
    throw;
  }
  if (s.conn->is_broken()) return false;
  s.on_verified(now);
  return true;
}

pool::pooled_connection pool_impl::hand_out(pool_slot& s, time_point now) {
  core_.checked_out(s, now);
  if (this_fiber::in_fiber()) s.holder = this_fiber::self();
  return pool::pooled_connection(shared_from_this(), &s);
}

void pool_impl::give_back(pool_slot& s, bool reset, bool discard) noexcept {
  s.holder = fiber{};
  // Still inside a transaction means a borrower skipped its rollback: never idle its locks.
  if (discard || s.conn->is_broken() || s.conn->in_transaction()) return close_slot(s, close_reason::broken);
  settle(s, core_.put(s, clock::now(), reset));
}

void pool_impl::wake(pool_wake w) noexcept {
  if (w.waiter) static_cast<fiber_waiter&>(*w.waiter).parked.notify_one();
  if (w.refill) maintainer_wake_.set();
}

void pool_impl::settle(pool_slot& s, const pool_core::put_result& r) noexcept {
  if (r.close) return close_slot(s, r.reason);
  wake({r.handed_to});
}

void pool_impl::close_slot(pool_slot& s, close_reason why) noexcept {
  hosts_.closed(*s.conn, why == close_reason::broken);
  wake(retire(s, [&](pool_slot& n) noexcept { return core_.closed(n, why); }));
}

void pool_impl::close() noexcept {
  pool_core::close_plan plan = core_.close();
  for (pool_waiter* w : plan.waiters) wake({w});
  for (node* n : plan.idle) close_slot(static_cast<pool_slot&>(*n), close_reason::pool_closed);
  if (maintainer_ && !maintainer_.done()) maintainer_.kill();
}

void pool_impl::throw_timeout(std::size_t waiting, bool opening) const {
  const pool::pool_stats s = core_.stats();
  std::string msg = describe() + ": ";
  msg += opening ? "opening a connection did not finish" : "no connection became available";
  msg += " within acquire_timeout " + std::to_string(to_ms(options().acquire_timeout)) +
         " ms (max_open=" + std::to_string(s.max_open) + ", open=" + std::to_string(s.open) +
         ", in_use=" + std::to_string(s.in_use) + ", idle=" + std::to_string(s.idle) +
         ", fibers waiting=" + std::to_string(waiting) + ")";
  throw pool_timeout(0, "HYT00", msg, error_reason::timeout);
}

}  // namespace fibersql::pool::detail
