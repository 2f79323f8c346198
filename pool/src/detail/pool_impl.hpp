#pragma once
// The pool's IO shell: performs what pool_core decides (open, ping, reset, rollback, close,
// wake a waiter) on fibers, and runs the maintenance fiber. Shared by the connection_pool and
// every handle, so a handle may outlive the pool object and still return safely.
#include <memory>
#include <optional>
#include <string>

#include <fibersql/db/connection_source.hpp>
#include <fibersql/pool/connection_pool.hpp>
#include <fibersql/runtime/detail/wait_list.hpp>
#include <fibersql/runtime/event.hpp>
#include <fibersql/runtime/fiber.hpp>

#include "detail/host_tally.hpp"
#include "detail/pool_core.hpp"

namespace fibersql {
class hub;
}

namespace fibersql::pool::detail {

// Opens one connection for the pool, lent by where it comes from: an upstream source's lease,
// or an owned_lease around a plain factory's connection. Null if the factory gave none.
using lease_factory = std::function<std::unique_ptr<db::lease>()>;

// A pooled connection: the core's bookkeeping plus the connection and its current borrower.
struct pool_slot final : node {
  explicit pool_slot(std::unique_ptr<db::lease> l) noexcept : lease(std::move(l)), conn(&lease->get()) {}
  std::unique_ptr<db::lease> lease;  // the connection's way home, given back once (retire())
  connection* conn;                  // lease->get()
  fiber holder;                      // the borrowing fiber (for leak reports); empty while not borrowed
};

// The shell's waiter: the core's bookkeeping plus the wait list its fiber parks on.
struct fiber_waiter final : pool_waiter {
  fibersql::detail::wait_list parked;
};

class pool_impl : public std::enable_shared_from_this<pool_impl> {
 public:
  pool_impl(lease_factory factory, pool::pool_options options);
  ~pool_impl();
  pool_impl(const pool_impl&) = delete;
  pool_impl& operator=(const pool_impl&) = delete;

  pool::pooled_connection acquire();
  // give_back: the one way a borrowed connection re-enters the pool (Go's putConn): hand it
  // to the oldest waiter or idle it, or close it if it is broken, discarded or still inside a
  // transaction. It never rolls back: the borrower did (db::rolled_back_for_return).
  void give_back(pool_slot& s, bool reset, bool discard) noexcept;
  void close() noexcept;
  pool::pool_stats stats() const {
    pool::pool_stats s = core_.stats();
    s.hosts = hosts_.snapshot();
    return s;
  }
  const pool::pool_options& options() const noexcept { return core_.options(); }
  std::string describe() const;

 private:
  // wait_turn: queues the caller and parks it until served; the next step.
  pool_core::step wait_turn(deadline until, time_point& now);
  // open_reserved: opens a connection for a slot the core reserved for the caller.
  pool_slot* open_reserved(deadline until, time_point& now);
  // checkout: readies `s` for the caller; nullopt when it is ready, else the next step
  // (it failed its check or expired, and is closed).
  std::optional<pool_core::step> checkout(pool_slot& s, deadline until, time_point& now);
  // verify: ping or reset `s` within `limit`; false if it failed (not rethrown: the caller
  // replaces it). Rethrows fiber_exit and foreign timeout_error after closing `s`.
  bool verify(pool_slot& s, bool reset, clock::duration limit, time_point now);
  pool::pooled_connection hand_out(pool_slot& s, time_point now);
  void wake(pool_wake w) noexcept;
  // settle: does what put() decided for `s`: close it, or wake the waiter it went to.
  void settle(pool_slot& s, const pool_core::put_result& r) noexcept;
  // close_slot: closes `s` for `why` and wakes whom its leaving frees a place for.
  void close_slot(pool_slot& s, close_reason why) noexcept;
  // retire: the one place a slot ends: gives its lease back to be closed (upstream decides
  // how), tells the core through `tell_core(s)` (closed() or replace()), deletes it, returns
  // what the core said.
  template <class F>
  auto retire(pool_slot& s, F&& tell_core) noexcept(noexcept(tell_core(s)));
  [[noreturn]] void throw_timeout(std::size_t waiting, bool opening) const;

  // Maintenance (maintenance.cpp).
  void ensure_maintainer();
  void maintain();
  void run_plan(pool_core::maintenance_plan& plan);
  // keep_alive: pings idle `s` and puts it back, or closes it. Rethrows fiber_exit.
  void keep_alive(pool_slot& s);
  // refill: opens `count` reserved connections for min_idle; stops at the first failure.
  void refill(std::size_t count);
  void refill_cancel(std::size_t count) noexcept;
  void report_leak(const pool::leak_report& r) noexcept;

  lease_factory factory_;
  pool_core core_;
  host_tally hosts_;       // per-server counts (host_tally.cpp); fed by the factory wrapper and close_slot
  fiber maintainer_;       // the background fiber; restarted on the next acquire if it ended
  event maintainer_wake_;  // set when min_idle needs a refill, or on close
  fibersql::hub* maintainer_hub_ = nullptr;  // the hub maintainer_ runs on: the pool's owner while it lives
};

template <class F>
auto pool_impl::retire(pool_slot& s, F&& tell_core) noexcept(noexcept(tell_core(s))) {
  s.lease->give_back(/*keep=*/false);
  auto said = tell_core(s);
  delete &s;
  return said;
}

}  // namespace fibersql::pool::detail
