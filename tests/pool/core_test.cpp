// The pool's decision core without IO, fibers or a server: every decision is driven by an
// injected clock (a time_point the test advances by hand).
#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <random>
#include <stdexcept>

#include "detail/pool_core.hpp"

namespace fibersql::pool::detail {
namespace {

using namespace std::chrono_literals;
using kind = pool_core::step_kind;

pool::pool_options small_pool(std::size_t max_open = 2) {
  pool::pool_options o;
  o.max_open = max_open;
  o.max_idle = max_open;
  o.max_lifetime = 0s;
  o.max_idle_time = 0s;
  o.keepalive_interval = 0s;
  o.validate_after_idle = clock::duration::max();
  return o;
}

struct core_fixture : ::testing::Test {
  time_point now = time_point{} + 1000h;  // the injected clock
  std::deque<std::unique_ptr<node>> nodes;

  // Borrows like the shell does: open when the core says so, check out at once.
  node* borrow(pool_core& c) {
    pool_core::step s = c.start_acquire();
    if (s.kind == kind::open_new) s.n = open(c);
    EXPECT_TRUE(s.kind == kind::take_idle || s.kind == kind::open_new) << static_cast<int>(s.kind);
    if (!s.n) return nullptr;
    c.checked_out(*s.n, now);
    return s.n;
  }
  node* open(pool_core& c, bool refill = false) {
    nodes.push_back(std::make_unique<node>());
    c.opened(*nodes.back(), now, refill);
    return nodes.back().get();
  }
};

TEST(pool_options, defaults_are_valid_and_bad_values_are_named) {
  EXPECT_NO_THROW(pool::validate({}));
  auto expect_bad = [](pool::pool_options o, const std::string& field) {
    try {
      pool::validate(o);
      ADD_FAILURE() << field << " accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(field), std::string::npos) << e.what();
    }
  };
  expect_bad({.max_open = 0}, "max_open");
  expect_bad({.max_open = 2, .max_idle = 3}, "max_idle");
  expect_bad({.max_open = 4, .max_idle = 2, .min_idle = 3}, "min_idle");
  expect_bad({.max_lifetime_jitter = 0.7}, "max_lifetime_jitter");
  expect_bad({.max_lifetime = -1s}, "max_lifetime");
  expect_bad({.acquire_timeout = 0s}, "acquire_timeout");
  expect_bad({.keepalive_interval = -1ms}, "keepalive_interval");
  expect_bad({.housekeeping_period = 0s}, "housekeeping_period");
}

TEST_F(core_fixture, opens_up_to_max_open_then_waits) {
  pool_core c(small_pool(2));
  ASSERT_NE(borrow(c), nullptr);
  ASSERT_NE(borrow(c), nullptr);
  EXPECT_EQ(c.start_acquire().kind, kind::wait);
  EXPECT_EQ(c.stats().open, 2u);
  EXPECT_EQ(c.stats().in_use, 2u);
  EXPECT_TRUE(c.invariants_hold());
}

TEST_F(core_fixture, returned_connection_goes_to_the_oldest_waiter_first) {
  pool_core c(small_pool(1));
  node* n = borrow(c);
  pool_waiter first, second;
  c.enqueue(first, now);
  now += 1ms;
  c.enqueue(second, now);
  // A newcomer may not jump the queue, even once something is returned.
  EXPECT_EQ(c.start_acquire().kind, kind::wait);
  now += 4ms;
  const pool_core::put_result r = c.put(*n, now);
  EXPECT_FALSE(r.close);
  ASSERT_EQ(r.handed_to, &first);
  EXPECT_EQ(first.result, pool_waiter::outcome::handed);
  EXPECT_EQ(first.handed, n);
  EXPECT_EQ(second.result, pool_waiter::outcome::pending);
  c.end_wait(first, now);
  c.checked_out(*n, now);
  EXPECT_EQ(c.stats().idle, 0u);
  EXPECT_EQ(c.stats().wait_count, 2u);
  EXPECT_EQ(c.stats().wait_duration, 5ms);
  EXPECT_EQ(c.put(*n, now).handed_to, &second);
  EXPECT_TRUE(c.invariants_hold());
}

TEST_F(core_fixture, most_recently_returned_idle_connection_is_reused) {
  pool_core c(small_pool(3));
  node* a = borrow(c);
  node* b = borrow(c);
  c.put(*a, now);
  now += 1s;
  c.put(*b, now);
  pool_core::step s = c.start_acquire();
  ASSERT_EQ(s.kind, kind::take_idle);
  EXPECT_EQ(s.n, b);
}

TEST_F(core_fixture, a_close_gives_the_freed_slot_to_the_oldest_waiter) {
  pool_core c(small_pool(1));
  node* n = borrow(c);
  pool_waiter w;
  c.enqueue(w, now);
  const pool_wake wake = c.closed(*n, close_reason::broken);
  ASSERT_EQ(wake.waiter, &w);
  EXPECT_EQ(w.result, pool_waiter::outcome::open_permit);
  EXPECT_EQ(c.stats().open, 1u) << "the permit reserves the slot";
  EXPECT_EQ(c.stats().broken_closed, 1u);
  // The waiter's open fails: the slot is free again, nobody else waits.
  const pool_wake after = c.open_failed(false);
  EXPECT_EQ(after.waiter, nullptr);
  EXPECT_EQ(c.stats().open, 0u);
  EXPECT_EQ(c.stats().open_failures, 1u);
}

TEST_F(core_fixture, a_failed_open_passes_the_slot_to_the_next_waiter) {
  pool_core c(small_pool(1));
  ASSERT_EQ(c.start_acquire().kind, kind::open_new);
  pool_waiter w;
  c.enqueue(w, now);
  EXPECT_EQ(c.open_failed(false).waiter, &w);
  EXPECT_EQ(w.result, pool_waiter::outcome::open_permit);
}

TEST_F(core_fixture, returns_beyond_max_idle_are_closed) {
  pool::pool_options o = small_pool(3);
  o.max_idle = 1;
  pool_core c(o);
  node* a = borrow(c);
  node* b = borrow(c);
  EXPECT_FALSE(c.put(*a, now).close);
  const pool_core::put_result r = c.put(*b, now);
  ASSERT_TRUE(r.close);
  EXPECT_EQ(r.reason, close_reason::max_idle);
  c.closed(*b, r.reason);
  EXPECT_EQ(c.stats().max_idle_closed, 1u);
  EXPECT_EQ(c.stats().open, 1u);
}

TEST_F(core_fixture, lifetimes_are_jittered_within_the_window) {
  pool::pool_options o = small_pool(50);
  o.max_lifetime = 100s;
  o.max_lifetime_jitter = 0.2;
  pool_core c(o, 42);
  std::set<time_point> expiries;
  for (int i = 0; i < 50; ++i) {
    node* n = borrow(c);
    EXPECT_LE(n->expires_at(), now + 100s);
    EXPECT_GE(n->expires_at(), now + 80s);
    expiries.insert(n->expires_at());
  }
  EXPECT_GT(expiries.size(), 45u) << "connections opened together must not expire together";
}

TEST_F(core_fixture, checkout_resets_validates_or_expires) {
  pool::pool_options o = small_pool(1);
  o.max_lifetime = 60s;
  o.max_lifetime_jitter = 0;
  o.validate_after_idle = 500ms;
  pool_core c(o);
  node* n = borrow(c);
  c.put(*n, now, true);
  EXPECT_EQ(n->checkout(now, o), checkout_action::reset) << "a reset is due after a borrow";
  n->on_verified(now);
  EXPECT_EQ(n->checkout(now + 100ms, o), checkout_action::ready);
  EXPECT_EQ(n->checkout(now + 600ms, o), checkout_action::validate) << "idle past validate_after_idle";
  EXPECT_EQ(n->checkout(now + 61s, o), checkout_action::expire);
  // A return after the lifetime closes instead of idling.
  ASSERT_EQ(c.start_acquire().kind, kind::take_idle);
  c.checked_out(*n, now);
  now += 61s;
  const pool_core::put_result r = c.put(*n, now);
  EXPECT_TRUE(r.close);
  EXPECT_EQ(r.reason, close_reason::max_lifetime);
}

TEST_F(core_fixture, replace_keeps_the_callers_place_ahead_of_the_queue) {
  pool_core c(small_pool(1));
  node* n = borrow(c);
  c.put(*n, now);
  pool_core::step s = c.start_acquire();
  ASSERT_EQ(s.kind, kind::take_idle);
  pool_waiter late;
  c.enqueue(late, now);  // arrived while the caller was pinging
  const pool_core::step next = c.replace(*n, close_reason::broken);
  EXPECT_EQ(next.kind, kind::open_new);
  EXPECT_EQ(late.result, pool_waiter::outcome::pending);
  EXPECT_EQ(c.stats().open, 1u);
  EXPECT_EQ(c.stats().broken_closed, 1u);
}

TEST_F(core_fixture, maintenance_retires_idle_above_min_idle_and_by_lifetime) {
  pool::pool_options o = small_pool(4);
  o.min_idle = 1;
  o.max_idle_time = 10s;
  o.max_lifetime = 100s;
  o.max_lifetime_jitter = 0;
  pool_core c(o);
  node* a = borrow(c);
  node* b = borrow(c);
  c.put(*a, now);
  c.put(*b, now + 1s);
  now += 12s;
  pool_core::maintenance_plan p = c.plan_maintenance(now);
  ASSERT_EQ(p.close.size(), 1u) << "min_idle keeps one";
  EXPECT_EQ(p.close[0].n, a) << "the coldest goes first";
  EXPECT_EQ(p.close[0].reason, close_reason::max_idle_time);
  c.closed(*a, close_reason::max_idle_time);
  EXPECT_EQ(c.stats().max_idle_time_closed, 1u);
  EXPECT_EQ(p.next_due, b->expires_at()) << "b stays until its lifetime";
  now = b->expires_at();
  p = c.plan_maintenance(now);
  ASSERT_EQ(p.close.size(), 1u);
  EXPECT_EQ(p.close[0].reason, close_reason::max_lifetime);
  EXPECT_EQ(p.open, 1u) << "min_idle refills in the same pass";
  c.closed(*b, close_reason::max_lifetime);
  EXPECT_EQ(c.plan_maintenance(now).open, 0u) << "the refill is already under way";
  node* fresh = open(c, true);
  EXPECT_FALSE(c.put(*fresh, now).close);
  EXPECT_EQ(c.stats().idle, 1u);
  EXPECT_EQ(c.plan_maintenance(now).open, 0u);
}

TEST_F(core_fixture, refill_waits_while_fibers_wait_and_respects_max_open) {
  pool::pool_options o = small_pool(2);
  o.min_idle = 2;
  pool_core c(o);
  pool_core::maintenance_plan p = c.plan_maintenance(now);
  EXPECT_EQ(p.open, 2u);
  EXPECT_EQ(c.start_acquire().kind, kind::wait) << "both slots are being refilled";
  pool_waiter w;
  c.enqueue(w, now);
  node* first = open(c, true);
  EXPECT_EQ(c.put(*first, now).handed_to, &w) << "a refilled connection serves a waiter first";
}

TEST_F(core_fixture, keepalive_pings_idle_connections_without_resetting_idle_time) {
  pool::pool_options o = small_pool(1);
  o.keepalive_interval = 30s;
  o.max_idle_time = 100s;
  pool_core c(o);
  node* n = borrow(c);
  c.put(*n, now);
  EXPECT_TRUE(c.plan_maintenance(now + 10s).keepalive.empty());
  now += 31s;
  pool_core::maintenance_plan p = c.plan_maintenance(now);
  ASSERT_EQ(p.keepalive.size(), 1u);
  EXPECT_EQ(c.stats().idle, 0u) << "busy while pinged";
  n->on_verified(now);
  c.put(*n, now);
  now += 70s;
  p = c.plan_maintenance(now);
  ASSERT_EQ(p.close.size(), 1u) << "pings keep it alive, not young";
  EXPECT_EQ(p.close[0].reason, close_reason::max_idle_time);
}

TEST_F(core_fixture, leaks_are_reported_once_per_borrow) {
  pool::pool_options o = small_pool(1);
  o.leak_threshold = 2s;
  pool_core c(o);
  node* n = borrow(c);
  EXPECT_EQ(c.plan_maintenance(now + 1s).next_due, now + 2s);
  EXPECT_EQ(c.plan_maintenance(now + 3s).leaked.size(), 1u);
  EXPECT_TRUE(c.plan_maintenance(now + 5s).leaked.empty());
  c.put(*n, now + 5s);
  now += 6s;
  ASSERT_EQ(c.start_acquire().kind, kind::take_idle);
  c.checked_out(*n, now);
  EXPECT_EQ(c.plan_maintenance(now + 3s).leaked.size(), 1u) << "a new borrow can leak again";
  EXPECT_EQ(c.stats().leaks_reported, 2u);
}

TEST_F(core_fixture, close_wakes_waiters_and_closes_returns) {
  pool_core c(small_pool(2));
  node* a = borrow(c);
  node* b = borrow(c);
  c.put(*a, now);
  pool_core::step s = c.start_acquire();
  ASSERT_EQ(s.kind, kind::take_idle);
  c.checked_out(*s.n, now);
  pool_waiter w;
  c.enqueue(w, now);
  pool_core::close_plan plan = c.close();
  ASSERT_EQ(plan.waiters.size(), 1u);
  EXPECT_EQ(w.result, pool_waiter::outcome::closed);
  EXPECT_EQ(c.start_acquire().kind, kind::closed);
  const pool_core::put_result r = c.put(*b, now);
  EXPECT_TRUE(r.close);
  EXPECT_EQ(r.reason, close_reason::pool_closed);
}

// Random borrows, returns, failures and timeouts: the invariants hold after every step and
// every waiter is eventually served in arrival order.
TEST_F(core_fixture, random_schedule_keeps_invariants_and_fifo) {
  pool::pool_options o = small_pool(5);
  o.max_idle = 3;
  pool_core c(o, 7);
  std::mt19937 rng(1234);
  std::vector<node*> held;
  std::deque<std::unique_ptr<pool_waiter>> queue;
  std::vector<pool_waiter*> served_order;
  std::vector<pool_waiter*> arrival_order;
  for (int step = 0; step < 20000; ++step) {
    now += 1ms;
    const int op = static_cast<int>(rng() % 4);
    if (op == 0 || held.empty()) {
      pool_core::step s = c.start_acquire();
      if (s.kind == kind::wait) {
        queue.push_back(std::make_unique<pool_waiter>());
        c.enqueue(*queue.back(), now);
        arrival_order.push_back(queue.back().get());
      } else {
        if (s.kind == kind::open_new) s.n = open(c);
        c.checked_out(*s.n, now);
        held.push_back(s.n);
      }
    } else {
      const std::size_t i = rng() % held.size();
      node* n = held[i];
      held.erase(held.begin() + static_cast<std::ptrdiff_t>(i));
      pool_wake wake;
      if (op == 1) {
        const pool_core::put_result r = c.put(*n, now);
        if (r.close) wake = c.closed(*n, r.reason);
        wake.waiter = wake.waiter ? wake.waiter : r.handed_to;
      } else {
        wake = c.closed(*n, close_reason::broken);
      }
      if (pool_waiter* w = wake.waiter) {
        served_order.push_back(w);
        c.end_wait(*w, now);
        node* got = w->handed;
        if (w->result == pool_waiter::outcome::open_permit) got = open(c);
        c.checked_out(*got, now);
        held.push_back(got);
      }
    }
    ASSERT_TRUE(c.invariants_hold()) << "step " << step;
  }
  ASSERT_LE(served_order.size(), arrival_order.size());
  for (std::size_t i = 0; i < served_order.size(); ++i) ASSERT_EQ(served_order[i], arrival_order[i]) << i;
  EXPECT_GT(served_order.size(), 50u);
}

}  // namespace
}  // namespace fibersql::pool::detail
