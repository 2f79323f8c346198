#include "detail/pool_core.hpp"

#include <algorithm>
#include <utility>

namespace fibersql::pool::detail {

pool_core::pool_core(pool::pool_options options, std::uint64_t seed) : options_(std::move(options)), rng_(seed) {
  counters_.max_open = options_.max_open;
}

double pool_core::jitter() noexcept {
  // splitmix64: tiny, seedable (tests pin it), and good enough to spread expiries.
  std::uint64_t z = (rng_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

pool_core::step pool_core::start_acquire() {
  if (closed_) return {step_kind::closed};
  // Waiters come first: a newcomer may not take what the queue is owed.
  if (!waiters_.empty()) return {step_kind::wait};
  if (node* n = pop_idle_newest()) return {step_kind::take_idle, n};
  if (open_ < options_.max_open) {
    ++open_;
    ++opening_;
    return {step_kind::open_new};
  }
  return {step_kind::wait};
}

pool_core::step pool_core::replace(node& n, close_reason why) {
  count_close(why);
  all_.unlink(n);
  if (closed_) {
    --open_;
    return {step_kind::closed};
  }
  // The caller held a slot; it keeps it, as an idle connection if one appeared, else a fresh open.
  if (node* next = pop_idle_newest()) {
    --open_;
    return {step_kind::take_idle, next};
  }
  ++opening_;
  return {step_kind::open_new};
}

void pool_core::enqueue(pool_waiter& w, time_point now) {
  w.result = pool_waiter::outcome::pending;
  w.since = now;
  waiters_.push_back(w);
  ++counters_.wait_count;
}

void pool_core::cancel(pool_waiter& w, time_point now, bool timed_out) {
  if (!waiters_.linked(w)) return;
  waiters_.unlink(w);
  record_wait(now - w.since);
  if (timed_out) ++counters_.timeouts;
}

void pool_core::end_wait(const pool_waiter& w, time_point now) {
  record_wait(now - w.since);
}

void pool_core::record_wait(clock::duration waited) {
  counters_.wait_duration += waited;
  std::size_t i = 0;
  while (i < pool::wait_bounds.size() && waited > pool::wait_bounds[i]) ++i;
  ++counters_.wait_histogram[i];
}

void pool_core::opened(node& n, time_point now, bool refill) {
  --opening_;
  if (refill) --refilling_;
  n.on_opened(now, options_, jitter());
  n.set_state(node::state::busy);
  all_.push_back(n);
  ++counters_.opened;
}

pool_wake pool_core::open_failed(bool refill, bool failed) {
  --open_;
  --opening_;
  if (refill) --refilling_;
  if (failed) ++counters_.open_failures;
  return {grant_permit(), needs_refill()};
}

void pool_core::checked_out(node& n, time_point now) {
  n.on_checked_out(now);
  ++in_use_;
}

pool_core::put_result pool_core::put(node& n, time_point now, bool needs_reset) {
  if (n.current_state() == node::state::in_use) {
    --in_use_;
    n.on_returned(now, needs_reset);
  }
  n.set_state(node::state::busy);
  if (closed_) return {true, close_reason::pool_closed};
  if (n.expired(now)) return {true, close_reason::max_lifetime};
  if (pool_waiter* w = waiters_.pop_front()) {
    w->result = pool_waiter::outcome::handed;
    w->handed = &n;
    return {false, close_reason::broken, w};
  }
  if (idle_.size() >= options_.max_idle) return {true, close_reason::max_idle};
  n.set_state(node::state::idle);
  idle_.push_back(&n);
  return {};
}

pool_wake pool_core::closed(node& n, close_reason why) {
  if (n.current_state() == node::state::in_use) --in_use_;
  if (n.current_state() == node::state::idle) remove_idle(n);
  n.set_state(node::state::busy);
  count_close(why);
  all_.unlink(n);
  --open_;
  return {grant_permit(), needs_refill()};
}

pool_core::maintenance_plan pool_core::plan_maintenance(time_point now) {
  maintenance_plan plan;
  if (closed_) return plan;
  for (node* n = all_.front(); n; n = all_.next(*n)) {
    if (n->leaked(now, options_)) {
      n->mark_leak_reported();
      ++counters_.leaks_reported;
      plan.leaked.push_back(n);
    }
  }
  // Oldest first, so idle-time retirement takes the coldest and keeps the newest min_idle.
  std::size_t warm = idle_.size();
  std::vector<node*> keep;
  keep.reserve(idle_.size());
  for (node* n : idle_) {
    const idle_action a = n->while_idle(now, options_, warm > options_.min_idle);
    if (a == idle_action::keep) {
      keep.push_back(n);
      continue;
    }
    n->set_state(node::state::busy);
    if (a == idle_action::keepalive) {
      plan.keepalive.push_back(n);
    } else {
      --warm;
      plan.close.push_back(
          {n, a == idle_action::expire_lifetime ? close_reason::max_lifetime : close_reason::max_idle_time});
    }
  }
  idle_.swap(keep);
  // Retired connections leave capacity that the shell's closed() calls hand to waiters;
  // refill only what nobody waits for.
  const std::size_t after_close = open_ - plan.close.size();
  const std::size_t warm_now = idle_.size() + plan.keepalive.size() + refilling_;
  if (waiters_.empty() && warm_now < options_.min_idle && after_close < options_.max_open) {
    plan.open = std::min(options_.min_idle - warm_now, options_.max_open - after_close);
    open_ += plan.open;
    opening_ += plan.open;
    refilling_ += plan.open;
  }
  const bool above_min_idle = idle_.size() > options_.min_idle;
  for (node* n = all_.front(); n; n = all_.next(*n)) {
    plan.next_due = std::min(plan.next_due, n->next_due(options_, above_min_idle));
  }
  return plan;
}

pool_core::close_plan pool_core::close() {
  close_plan plan;
  closed_ = true;
  for (node* n : idle_) n->set_state(node::state::busy);
  plan.idle.swap(idle_);
  while (pool_waiter* w = waiters_.pop_front()) {
    w->result = pool_waiter::outcome::closed;
    plan.waiters.push_back(w);
  }
  return plan;
}

pool::pool_stats pool_core::stats() const {
  pool::pool_stats s = counters_;
  s.open = open_;
  s.in_use = in_use_;
  s.idle = idle_.size();
  s.waiters = waiters_.size();
  return s;
}

bool pool_core::invariants_hold() const noexcept {
  if (open_ > options_.max_open || idle_.size() > options_.max_idle) return false;
  if (in_use_ + idle_.size() + opening_ > open_) return false;
  if (!waiters_.empty() && !closed_ && (open_ != options_.max_open || !idle_.empty())) return false;
  return true;
}

node* pool_core::pop_idle_newest() noexcept {
  if (idle_.empty()) return nullptr;
  node* n = idle_.back();
  idle_.pop_back();
  n->set_state(node::state::busy);
  return n;
}

void pool_core::remove_idle(node& n) noexcept {
  std::erase(idle_, &n);
}

pool_waiter* pool_core::grant_permit() noexcept {
  if (closed_ || open_ >= options_.max_open) return nullptr;
  pool_waiter* w = waiters_.pop_front();
  if (!w) return nullptr;
  ++open_;
  ++opening_;
  w->result = pool_waiter::outcome::open_permit;
  return w;
}

bool pool_core::needs_refill() const noexcept {
  return !closed_ && waiters_.empty() && idle_.size() + refilling_ < options_.min_idle && open_ < options_.max_open;
}

void pool_core::count_close(close_reason why) noexcept {
  switch (why) {
    case close_reason::max_idle:
      ++counters_.max_idle_closed;
      break;
    case close_reason::max_lifetime:
      ++counters_.max_lifetime_closed;
      break;
    case close_reason::max_idle_time:
      ++counters_.max_idle_time_closed;
      break;
    case close_reason::broken:
      ++counters_.broken_closed;
      break;
    case close_reason::pool_closed:
      break;
  }
}

}  // namespace fibersql::pool::detail
