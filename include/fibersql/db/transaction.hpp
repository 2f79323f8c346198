#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// The scope form of database::atomic(): a transaction (or, nested, a savepoint) that commits
// only on an explicit commit() and rolls back otherwise.
#include <cstdint>
#include <memory>

namespace fibersql::db {

namespace detail {
struct fiber_slot;
}

class database;

// transaction: returned by database::atomic(). Move-only; belongs to the fiber that made it.
// The destructor rolls back unless commit() or rollback() ran. It never looks at
// std::uncaught_exceptions(): a fiber unwound by kill or timeout must never commit.
class [[nodiscard]] transaction {
 public:
  transaction(transaction&& other) noexcept;
  transaction& operator=(transaction&&) = delete;
  transaction(const transaction&) = delete;
  transaction& operator=(const transaction&) = delete;
  // Rolls back if still active. Never throws; a rollback that fails discards the connection
  // (or, when a kill is pending, leaves the rollback to the fiber-exit hook).
  ~transaction();

  // commit: COMMIT (outermost scope) or RELEASE SAVEPOINT (nested).
  // Throws: programming_error if already finished or an inner scope is still open;
  // operational_error if the connection was lost inside the scope (nothing was committed);
  // the backend's errors (the scope then stays active, so its destructor rolls back).
  // With a kill pending (this_fiber::kill_pending(), even if the body caught its fiber_exit)
  // it rolls back instead and throws fiber_exit: a killed fiber never commits.
  // Fiber-safety: only the fiber that opened it (interface_error otherwise).
  void commit();
  // rollback: ROLLBACK (outermost) or ROLLBACK TO SAVEPOINT (nested), now.
  // Throws: as commit().
  void rollback();

  // True until commit() or rollback() succeeded.
  bool active() const noexcept { return active_; }
  // 1 for the outermost scope, 2+ for savepoints.
  unsigned depth() const noexcept { return depth_; }
  // True for a savepoint: a nested scope, or the outermost one inside a transaction the caller
  // began by hand.
  bool is_savepoint() const noexcept { return savepoint_; }

 private:
  friend class database;
  transaction(std::shared_ptr<detail::fiber_slot> slot, unsigned depth, bool savepoint,
              std::uint64_t generation) noexcept;
  void finish(bool commit);
  bool still_ours() const noexcept;

  std::shared_ptr<detail::fiber_slot> slot_;  // the owning fiber's slot; null after a move
  unsigned depth_ = 0;
  bool savepoint_ = false;        // nested scope (or inside a bare begin()): uses SAVEPOINT
  std::uint64_t generation_ = 0;  // which connection of the slot it began on
  bool active_ = false;
};

}  // namespace fibersql::db
FIBERSQL_PUBLIC_END
