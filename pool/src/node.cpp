#include "detail/node.hpp"

#include <algorithm>

namespace fibersql::pool::detail {
namespace {

// t + d, saturating at time_point::max() (options may hold duration::max()).
time_point add_saturating(time_point t, clock::duration d) noexcept {
  return d >= time_point::max() - t ? time_point::max() : t + d;
}

bool enabled(clock::duration d) noexcept {
  return d > clock::duration::zero();
}

}  // namespace

void node::on_opened(time_point now, const pool::pool_options& o, double jitter_fraction) noexcept {
  idle_since_ = now;
  last_ok_ = now;  // the handshake just proved it alive
  if (enabled(o.max_lifetime)) {
    // Jitter shortens, never lengthens: max_lifetime stays a promise to the server's
    // wait_timeout, and connections opened in one burst spread their expiry over a window.
    const double cut = static_cast<double>(o.max_lifetime.count()) * o.max_lifetime_jitter * jitter_fraction;
    expires_at_ = add_saturating(now, o.max_lifetime - clock::duration(static_cast<clock::rep>(cut)));
  } else {
    expires_at_ = time_point::max();
  }
}

void node::on_checked_out(time_point now) noexcept {
  state_ = state::in_use;
  borrowed_at_ = now;
  leak_reported_ = false;
}

void node::on_returned(time_point now, bool needs_reset) noexcept {
  idle_since_ = now;
  // The borrower's last call succeeded or it would be broken; count the return as proof of
  // life, as HikariCP's aliveBypassWindow does with lastAccessed.
  last_ok_ = now;
  needs_reset_ = needs_reset_ || needs_reset;
}

void node::on_verified(time_point now) noexcept {
  last_ok_ = now;
  needs_reset_ = false;  // callers verify with reset() when one is due
}

checkout_action node::checkout(time_point now, const pool::pool_options& o) const noexcept {
  if (expired(now)) return checkout_action::expire;
  if (needs_reset_) return checkout_action::reset;
  if (o.validate_after_idle != clock::duration::max() && now - last_ok_ >= o.validate_after_idle) {
    return checkout_action::validate;
  }
  return checkout_action::ready;
}

idle_action node::while_idle(time_point now, const pool::pool_options& o, bool above_min_idle) const noexcept {
  if (expired(now)) return idle_action::expire_lifetime;
  if (above_min_idle && enabled(o.max_idle_time) && now - idle_since_ >= o.max_idle_time) {
    return idle_action::expire_idle_time;
  }
  if (enabled(o.keepalive_interval) && now - last_ok_ >= o.keepalive_interval) return idle_action::keepalive;
  return idle_action::keep;
}

bool node::leaked(time_point now, const pool::pool_options& o) const noexcept {
  return state_ == state::in_use && !leak_reported_ && enabled(o.leak_threshold) &&
         now - borrowed_at_ >= o.leak_threshold;
}

time_point node::next_due(const pool::pool_options& o, bool above_min_idle) const noexcept {
  time_point due = time_point::max();
  if (state_ == state::idle) {
    due = expires_at_;
    if (above_min_idle && enabled(o.max_idle_time)) due = std::min(due, add_saturating(idle_since_, o.max_idle_time));
    if (enabled(o.keepalive_interval)) due = std::min(due, add_saturating(last_ok_, o.keepalive_interval));
  } else if (state_ == state::in_use && !leak_reported_ && enabled(o.leak_threshold)) {
    due = add_saturating(borrowed_at_, o.leak_threshold);
  }
  return due;
}

}  // namespace fibersql::pool::detail
