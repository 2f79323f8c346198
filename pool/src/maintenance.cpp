// The maintenance fiber: retires expired and long-idle connections, pings idle ones
// (keepalive), keeps min_idle warm and reports leaks. It runs at background priority so it
// never delays request-serving fibers, and sleeps until the next thing falls due.
#include <cstdio>
#include <vector>

#include <fibersql/runtime/errors.hpp>
#include <fibersql/runtime/hub.hpp>
#include <fibersql/runtime/log.hpp>
#include <fibersql/runtime/this_fiber.hpp>
#include <fibersql/runtime/timeout.hpp>
#include <fibersql/sql/errors.hpp>

#include "detail/pool_impl.hpp"

namespace fibersql::pool::detail {

void pool_impl::ensure_maintainer() {
  hub* const here = hub::current_or_null();
  if (maintainer_ && !maintainer_.done()) {
    // The pool's state has no lock: while the hub running the maintenance fiber lives, a
    // fiber of another hub using the pool would race with it (docs/architecture.md, "Several
    // hubs"). Reading the handle here is itself only safe on that hub; in the misuse case it
    // is the best check there is, and it turns a silent race into this error.
    if (here != maintainer_hub_) {
      throw misuse_error(describe() +
                         " is used by a fiber of another hub than the one it belongs to (the hub of "
                         "its first borrower); give each hub its own pool");
    }
    return;
  }
  if (core_.is_closed()) return;
  maintainer_hub_ = here;
  // Started lazily on the hub of the first borrower: a pool may be built before any hub
  // exists, and when a hub ends (killing this fiber) the next acquire starts a new one.
  // The fiber owns a reference, so the state outlives a pool destroyed while it runs.
  maintainer_ = spawn([self = shared_from_this()] { self->maintain(); },
                      {.name = "pool maintenance '" + options().name + "'", .priority = priority::background});
}

void pool_impl::maintain() {
  for (;;) {
    maintainer_wake_.clear();
    pool_core::maintenance_plan plan = core_.plan_maintenance(clock::now());
    if (core_.is_closed()) return;
    run_plan(plan);
    clock::duration sleep = options().housekeeping_period;
    const time_point now = clock::now();
    if (plan.next_due != time_point::max() && plan.next_due - now < sleep) {
      sleep = std::max<clock::duration>(plan.next_due - now, std::chrono::milliseconds(1));
    }
    maintainer_wake_.wait(sleep);
  }
}

void pool_impl::run_plan(pool_core::maintenance_plan& plan) {
  // Copy what the reports need first: a callback may wait, and meanwhile the leaked
  // connection may be returned and closed.
  std::vector<pool::leak_report> leaks;
  for (node* n : plan.leaked) {
    const auto& s = static_cast<const pool_slot&>(*n);
    pool::leak_report r;
    r.pool_name = options().name;
    if (s.holder) {
      r.fiber_id = s.holder.id();
      r.fiber_name = s.holder.name();
    }
    r.held_for = clock::now() - s.borrowed_at();
    r.server_thread_id = s.conn->server_thread_id();
    leaks.push_back(std::move(r));
  }
  for (const pool_core::maintenance_plan::closing& c : plan.close) {
    close_slot(static_cast<pool_slot&>(*c.n), c.reason);
  }
  std::size_t next = 0;
  try {
    for (; next < plan.keepalive.size(); ++next) keep_alive(static_cast<pool_slot&>(*plan.keepalive[next]));
  } catch (...) {
    // Killed mid-plan (the pool closed, or the hub ended): the connections not yet pinged
    // are healthy, so they go back (or close, if the pool closed).
    for (++next; next < plan.keepalive.size(); ++next) {
      auto& s = static_cast<pool_slot&>(*plan.keepalive[next]);
      settle(s, core_.put(s, clock::now()));
    }
    refill_cancel(plan.open);
    throw;
  }
  refill(plan.open);
  for (const pool::leak_report& r : leaks) report_leak(r);
}

void pool_impl::keep_alive(pool_slot& s) {
  bool ok = false;
  try {
    timeout scope(options().validation_timeout);
    try {
      s.conn->ping();
      ok = !s.conn->is_broken();
    } catch (const timeout_error& e) {
      if (!scope.owns(e)) throw;
    }
  } catch (const fibersql::error&) {
    ok = false;
  } catch (...) {
    close_slot(s, close_reason::broken);
    throw;
  }
  if (!ok) return close_slot(s, close_reason::broken);
  s.on_verified(clock::now());
  settle(s, core_.put(s, clock::now()));
}

void pool_impl::refill(std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    std::unique_ptr<db::lease> opened;
    try {
      timeout scope(options().acquire_timeout);
      opened = factory_();
    } catch (const std::exception&) {
      // Server down or refusing: give the slots back and try again next period, without
      // waking ourselves (a refill wake here would spin against a dead server).
      wake({core_.open_failed(true).waiter});
      refill_cancel(count - i - 1);
      return;
    } catch (...) {
      wake({core_.open_failed(true).waiter});
      refill_cancel(count - i - 1);
      throw;
    }
    if (!opened) {
      wake({core_.open_failed(true).waiter});
      continue;
    }
    auto* s = new pool_slot(std::move(opened));
    core_.opened(*s, clock::now(), true);
    settle(*s, core_.put(*s, clock::now()));
  }
}

void pool_impl::refill_cancel(std::size_t count) noexcept {
  for (std::size_t i = 0; i < count; ++i) wake({core_.open_failed(true, false).waiter});
}

void pool_impl::report_leak(const pool::leak_report& r) noexcept {
  try {
    if (options().on_leak) {
      options().on_leak(r);
      return;
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(r.held_for).count();
    fibersql::detail::log_message(log_level::warning,
                                  "fibersql: pool '" + r.pool_name + "': connection (server thread " +
                                      std::to_string(r.server_thread_id) + ") held for " + std::to_string(ms) +
                                      " ms by fiber " + std::to_string(r.fiber_id) + " '" + r.fiber_name +
                                      "' (leak_threshold exceeded; not closed)");
  } catch (...) {
    // A reporting callback must not take the maintenance fiber down with it.
  }
}

}  // namespace fibersql::pool::detail
