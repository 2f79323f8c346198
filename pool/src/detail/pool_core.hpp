#pragma once
// The pool's decisions without IO or fibers (sans-IO): who gets which connection, when to open,
// close, keep alive or wait, with the clock passed in. The IO shell (pool_impl) performs the
// steps and reports back; unit tests drive this class alone with a fake clock.
//
// Go's database/sql rules: reuse the most recently returned idle connection (LIFO: it is the
// warmest and lets the surplus age out), hand a returned connection to the oldest waiter
// before idling it, count opens before they succeed so max_open is never overshot.
//
// Invariant (checked by invariants_hold()): while any fiber waits, every slot is taken
// (open == max_open) and no connection is idle. Each event that frees capacity (a close, a
// failed open, a return) serves the oldest waiter at once, so nobody waits while a slot or an
// idle connection goes unused, and a newcomer never jumps the queue.
#include <cstddef>
#include <cstdint>
#include <vector>

#include <fibersql/pool/stats.hpp>

#include "detail/node.hpp"

namespace fibersql::pool::detail {

// A fiber waiting in acquire(); lives on that fiber's stack, linked FIFO into pool_core.
// The shell derives its own waiter from it (pool_impl's fiber_waiter adds the fiber's
// wait_list), so the core carries no runtime type and no untyped pointer.
struct pool_waiter {
  enum class outcome {
    pending,      // still queued
    handed,       // `handed` is now this waiter's (busy): check it out
    open_permit,  // a slot is reserved for this waiter: open a connection
    closed,       // the pool closed
  };
  outcome result = outcome::pending;
  node* handed = nullptr;
  time_point since{};
  fibersql::detail::list_links<pool_waiter> links;
};

// Whom a state change must wake: a waiter (its outcome already set) and/or the maintenance
// fiber (min_idle needs refilling).
struct pool_wake {
  pool_waiter* waiter = nullptr;
  bool refill = false;
};

class pool_core {
 public:
  enum class step_kind {
    take_idle,  // `n` is now busy and the caller's: run node::checkout() on it
    open_new,   // a slot is reserved for the caller: open, then opened()
    wait,       // enqueue() and park
    closed,     // the pool is closed
  };
  struct step {
    step_kind kind;
    node* n = nullptr;
  };
  // What to do with a connection given back (put()).
  struct put_result {
    bool close = false;  // close it, then closed(n, reason)
    close_reason reason = close_reason::broken;
    pool_waiter* handed_to = nullptr;  // woken with it (outcome handed)
  };
  // What the maintenance fiber must do now; the nodes listed are busy and its own.
  struct maintenance_plan {
    struct closing {
      node* n;
      close_reason reason;
    };
    std::vector<closing> close;    // close, then closed(n, reason)
    std::vector<node*> keepalive;  // ping, then put(n, now) or closed(n, broken)
    std::size_t open = 0;          // open this many, then opened(n, now, true) + put, or open_failed(true)
    std::vector<node*> leaked;     // report (now marked reported)
    time_point next_due = time_point::max();
  };
  // What close() leaves to the shell: idle connections to close, waiters to wake (closed).
  struct close_plan {
    std::vector<node*> idle;
    std::vector<pool_waiter*> waiters;
  };

  // pool_core: `options` must be valid (pool::validate); `seed` drives the lifetime jitter.
  explicit pool_core(pool::pool_options options, std::uint64_t seed = 0x9e3779b97f4a7c15ULL);
  pool_core(const pool_core&) = delete;
  pool_core& operator=(const pool_core&) = delete;

  // start_acquire: the first step of a borrow: an idle connection, a reserved slot, or wait.
  step start_acquire();
  // replace: the caller's busy `n` failed its checkout (expired, ping or reset failed) and is
  // being closed; the caller keeps its place: the next idle connection, else its slot reserved
  // for a new open (never back to the end of the queue).
  step replace(node& n, close_reason why);
  // enqueue: the caller waits (FIFO). cancel: it stopped waiting (timeout, kill) unserved.
  void enqueue(pool_waiter& w, time_point now);
  void cancel(pool_waiter& w, time_point now, bool timed_out);
  // end_wait: a woken waiter accounts its wait.
  void end_wait(const pool_waiter& w, time_point now);

  // opened: the factory delivered `n` for a reserved slot; `n` is busy and its opener's.
  void opened(node& n, time_point now, bool refill);
  // open_failed: the factory threw (or, with failed false, the open was not attempted);
  // the slot is free again.
  pool_wake open_failed(bool refill, bool failed = true);
  // checked_out: `n` (busy) goes to its borrower.
  void checked_out(node& n, time_point now);
  // put: a borrower returns `n` (in use; healthy, rolled back), or the pool itself finished
  // with it (busy: after a keepalive ping, or fresh from a refill open).
  put_result put(node& n, time_point now, bool needs_reset = false);
  // closed: the shell closed `n` (busy or in use) for `why`; `n` leaves the pool.
  pool_wake closed(node& n, close_reason why);
  // plan_maintenance: expiry, keepalive, leaks and min_idle refill due at `now`.
  maintenance_plan plan_maintenance(time_point now);
  // close: no further borrows; idle connections and waiters are handed to the shell.
  close_plan close();

  // jitter: the next lifetime jitter fraction in [0, 1) (exposed for tests).
  double jitter() noexcept;
  pool::pool_stats stats() const;
  const pool::pool_options& options() const noexcept { return options_; }
  bool is_closed() const noexcept { return closed_; }
  std::size_t waiting() const noexcept { return waiters_.size(); }
  // The nodes still linked (for the shell's destructor).
  node* first_node() const noexcept { return all_.front(); }
  bool invariants_hold() const noexcept;

 private:
  node* pop_idle_newest() noexcept;
  void remove_idle(node& n) noexcept;
  // grant_permit: gives a free slot to the oldest waiter, if any.
  pool_waiter* grant_permit() noexcept;
  bool needs_refill() const noexcept;
  void count_close(close_reason why) noexcept;

  pool::pool_options options_;
  std::uint64_t rng_;
  bool closed_ = false;
  std::size_t open_ = 0;                                          // connections open or reserved; <= max_open
  std::size_t opening_ = 0;                                       // reserved slots whose open is under way
  std::size_t refilling_ = 0;                                     // of those, opened by maintenance for min_idle
  std::size_t in_use_ = 0;                                        // borrowed
  std::vector<node*> idle_;                                       // oldest first; acquire takes the back
  fibersql::detail::intrusive_list<node, &node::all_links> all_;  // every open node
  fibersql::detail::intrusive_list<pool_waiter, &pool_waiter::links> waiters_;  // FIFO
  pool::pool_stats counters_;                                                   // the counter half of stats()

  // record_wait: adds one finished wait to the total and the histogram.
  void record_wait(clock::duration waited);
};

}  // namespace fibersql::pool::detail
