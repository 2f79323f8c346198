// transaction: one atomic() scope. Commit only when asked; roll back otherwise.
#include <fibersql/db/transaction.hpp>

#include <optional>

#include <fibersql/runtime/errors.hpp>
#include <fibersql/runtime/kill_shield.hpp>
#include <fibersql/runtime/this_fiber.hpp>
#include <fibersql/runtime/timeout.hpp>
#include <fibersql/sql/errors.hpp>

#include "detail/state.hpp"

namespace fibersql::db {

transaction::transaction(std::shared_ptr<detail::fiber_slot> slot, unsigned depth, bool savepoint,
                         std::uint64_t generation) noexcept
    : slot_(std::move(slot)), depth_(depth), savepoint_(savepoint), generation_(generation), active_(true) {}

transaction::transaction(transaction&& other) noexcept
    : slot_(std::move(other.slot_)),
      depth_(other.depth_),
      savepoint_(other.savepoint_),
      generation_(other.generation_),
      active_(other.active_) {
  other.active_ = false;
}

// Still on the connection it began on, in the fiber that owns it.
bool transaction::still_ours() const noexcept {
  const detail::fiber_slot& s = *slot_;
  return !s.ended && !s.transaction_lost && s.conn && s.generation == generation_;
}

transaction::~transaction() {
  if (!active_ || !slot_) return;
  detail::fiber_slot& s = *slot_;
  // Another fiber (a moved scope) or a fiber already gone: the hook owns the connection.
  if (s.ended || s.fiber_id != this_fiber::id()) return;
  try {
    finish(/*commit=*/false);
  } catch (...) {
    // finish() released a connection the failure broke. If it is still here, a pending kill
    // stopped the rollback: the fiber is leaving, and its hook rolls back without waiting
    // for permission. Until then nothing at any depth may commit.
    if (s.conn && s.generation == generation_) s.unwind_failed = true;
    active_ = false;
    if (s.state && s.depth >= depth_) s.state->set_depth(s, depth_ - 1);
  }
}

void transaction::commit() {
  finish(true);
}

void transaction::rollback() {
  finish(false);
}

void transaction::finish(bool commit) {
  const char* what = commit ? "commit()" : "rollback()";
  if (!slot_ || !active_)
    throw programming_error(0, "HY000", std::string("transaction::") + what + " on a finished transaction");
  detail::fiber_slot& s = *slot_;
  if (s.ended || s.fiber_id != this_fiber::id()) {
    throw interface_error(0, "HY000", std::string("transaction::") + what + " from a fiber that does not own it");
  }
  if (commit && this_fiber::kill_pending()) {
    // The body caught the fiber_exit (a catch (...)) and returned as if nothing happened.
    // A killed fiber never commits: roll back, then let the kill go on unwinding the fiber.
    finish(/*commit=*/false);
    throw fiber_exit{};
  }
  if (!still_ours()) {
    // The connection went away inside the scope: the server rolled everything back already.
    active_ = false;
    if (s.depth >= depth_) s.state->set_depth(s, depth_ - 1);
    if (s.depth == 0) s.transaction_lost = false;
    if (commit) {
      throw operational_error(0, "HY000",
                              "transaction::commit(): the connection was lost inside atomic(); nothing was committed");
    }
    return;
  }
  if (s.depth != depth_) {
    throw programming_error(0, "HY000",
                            std::string("transaction::") + what + ": an inner atomic() scope is still open");
  }
  if (commit && s.unwind_failed) {
    throw operational_error(
        0, "HY000", "transaction::commit(): an inner scope failed to roll back; the transaction will be rolled back");
  }
  detail::database_state& st = *s.state;
  // A rollback runs to its end even while the fiber is being killed (atomic(fn) rolls back
  // on fiber_exit): cut short, it would break the connection and a pool would lose it.
  // Bounded like the exit hook's rollback, so a dead server cannot pin the fiber.
  std::optional<kill_shield> shield;
  std::optional<timeout> limit;
  if (!commit) {
    shield.emplace();
    limit.emplace(st.options().exit_rollback_timeout);
  }
  const std::string name = "fibersql_sp" + std::to_string(depth_);
  if (savepoint_ && commit) {
    const std::string sql = "RELEASE SAVEPOINT " + name;
    st.run(s, sql, [&](fibersql::connection& c) { c.query(sql); });
  } else if (savepoint_) {
    const std::string sql = "ROLLBACK TO SAVEPOINT " + name;
    st.run(s, sql, [&](fibersql::connection& c) { c.query(sql); });
    const std::string release = "RELEASE SAVEPOINT " + name;
    st.run(s, release, [&](fibersql::connection& c) { c.query(release); });
  } else if (commit) {
    st.run(s, "COMMIT", [](fibersql::connection& c) { c.commit(); });
  } else {
    // The server may have ended the transaction itself (a deadlock victim): nothing to undo.
    st.run(s, "ROLLBACK", [](fibersql::connection& c) {
      if (c.in_transaction()) c.rollback();
    });
    s.unwind_failed = false;
  }
  active_ = false;
  st.set_depth(s, depth_ - 1);
  // The outermost scope ended: a connection a connection_scope (or the source) wanted back
  // can go now.
  if (depth_ == 1 && (s.return_pending || st.returns_after_each_statement())) st.return_if_idle(s);
}

}  // namespace fibersql::db
