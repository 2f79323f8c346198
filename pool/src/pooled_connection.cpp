#include <fibersql/pool/pooled_connection.hpp>

#include <utility>

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
  if (slot_) give_back(pool_->options().reset_on_return, false);
}

void pooled_connection::return_without_reset() noexcept {
  give_back(false, false);
}

void pooled_connection::discard() noexcept {
  give_back(false, true);
}

void pooled_connection::give_back(bool reset, bool discard) noexcept {
  if (!slot_) return;
  // Clear the handle first: give_back may wait (rollback), and the handle must already look
  // empty to anything that runs meanwhile.
  detail::pool_slot* slot = std::exchange(slot_, nullptr);
  std::shared_ptr<detail::pool_impl> pool = std::move(pool_);
  pool->give_back(*slot, reset, discard);
}

}  // namespace fibersql::pool
