#include <fibersql/pool/pooled_connection.hpp>

#include <utility>

#include <fibersql/db/connection_source.hpp>

#include "detail/pool_impl.hpp"

namespace fibersql::pool {

pooled_connection::pooled_connection(pooled_connection&& other) noexcept
    : pool_(std::move(other.pool_)), slot_(std::exchange(other.slot_, nullptr)) {}

pooled_connection& pooled_connection::operator=(pooled_connection&& other) noexcept {
  if (this != &other) {
    release();
    pool_ = std::move(other.pool_);
    slot_ = std::exchange(other.slot_, nullptr);
  }
  return *this;
}

pooled_connection::~pooled_connection() {
  release();
}

connection& pooled_connection::get() const noexcept {
  return *slot_->conn;
}

void pooled_connection::release() noexcept {
  if (slot_) give_back(pool_->options().reset_on_return, false, true);
}

void pooled_connection::return_without_reset() noexcept {
  give_back(false, false, true);
}

void pooled_connection::discard() noexcept {
  give_back(false, true, false);
}

void pooled_connection::give_back(bool reset, bool discard, bool roll_back) noexcept {
  if (!slot_) return;
  // Clear the handle first: the rollback may wait, and the handle must already look empty to
  // anything that runs meanwhile.
  detail::pool_slot* slot = std::exchange(slot_, nullptr);
  std::shared_ptr<detail::pool_impl> pool = std::move(pool_);
  connection& c = *slot->conn;
  if (roll_back && !discard && !c.is_broken() && c.in_transaction()) {
    // Locks must not stay held while the connection idles. A failed rollback (or a kill,
    // which stays pending and fires at the fiber's next wait) leaves the state unknown: it
    // goes. A rolled-back session is reset for the next borrower if the pool resets at all.
    discard = !db::rolled_back_for_return(c);
    reset = reset || pool->options().reset_on_return;
  }
  pool->give_back(*slot, reset, discard);
}

}  // namespace fibersql::pool
