#pragma once
// One pooled connection's bookkeeping and the decisions that depend only on it and the time:
// a sans-IO state machine (after Boost.MySQL's sansio_connection_node). It never touches the
// connection; the pool's IO shell does what these functions say and reports back.
#include <cstdint>

#include <fibersql/pool/options.hpp>
#include <fibersql/runtime/clock.hpp>
#include <fibersql/runtime/detail/intrusive_list.hpp>

namespace fibersql::pool::detail {

using time_point = clock::time_point;

// Why the pool closed a connection; each reason has its own counter in pool_stats.
enum class close_reason { max_idle, max_lifetime, max_idle_time, broken, pool_closed };

// What must happen before a connection taken from the pool may be handed to a borrower.
enum class checkout_action {
  ready,     // hand it out as it is
  reset,     // reset session state first (a reset also proves it is alive)
  validate,  // ping first: it sat idle past validate_after_idle
  expire,    // past its lifetime: close it (max_lifetime) and try another
};

// What to do with an idle connection when the maintenance fiber looks at it.
enum class idle_action { keep, expire_lifetime, expire_idle_time, keepalive };

class node {
 public:
  enum class state {
    busy,    // in transit: being checked, reset, handed over or closed
    idle,    // in the idle list
    in_use,  // borrowed
  };

  virtual ~node() = default;

  // on_opened: the connection exists from `now`; its lifetime is max_lifetime shortened by
  // `jitter_fraction` (in [0, 1)) of max_lifetime * max_lifetime_jitter.
  void on_opened(time_point now, const pool::pool_options& o, double jitter_fraction) noexcept;
  // on_checked_out: the caller now holds it.
  void on_checked_out(time_point now) noexcept;
  // on_returned: the borrower gave it back (healthy, transaction already rolled back).
  void on_returned(time_point now, bool needs_reset) noexcept;
  // on_verified: a ping or reset just succeeded.
  void on_verified(time_point now) noexcept;

  // checkout: what the shell must do before handing it out (node is busy meanwhile).
  checkout_action checkout(time_point now, const pool::pool_options& o) const noexcept;
  // while_idle: the maintenance decision for an idle connection; `above_min_idle` says whether
  // retiring it for idleness would keep min_idle.
  idle_action while_idle(time_point now, const pool::pool_options& o, bool above_min_idle) const noexcept;
  // expired: past its (jittered) lifetime.
  bool expired(time_point now) const noexcept { return now >= expires_at_; }
  // leaked: borrowed longer than leak_threshold and not yet reported for this borrow.
  bool leaked(time_point now, const pool::pool_options& o) const noexcept;
  // next_due: the earliest moment while_idle() or leaked() may give a different answer;
  // `above_min_idle` as for while_idle() (idle-time retirement is off at min_idle).
  time_point next_due(const pool::pool_options& o, bool above_min_idle) const noexcept;

  state current_state() const noexcept { return state_; }
  void set_state(state s) noexcept { state_ = s; }
  void mark_leak_reported() noexcept { leak_reported_ = true; }
  time_point expires_at() const noexcept { return expires_at_; }
  time_point borrowed_at() const noexcept { return borrowed_at_; }

  // Link in the pool's list of every open node (owned by pool_core).
  fibersql::detail::list_links<node> all_links;

 private:
  state state_ = state::busy;
  time_point expires_at_ = time_point::max();
  time_point idle_since_{};  // last return (or open): start of idleness
  time_point last_ok_{};     // last moment the connection was known alive
  time_point borrowed_at_{};
  bool needs_reset_ = false;  // a borrower used it since the last reset
  bool leak_reported_ = false;
};

}  // namespace fibersql::pool::detail
