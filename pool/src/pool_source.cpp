#include <fibersql/pool/pool_source.hpp>

#include <stdexcept>

#include "detail/pool_impl.hpp"

namespace fibersql::pool {

// pool_lease: a pooled_connection lent to a database fiber. give_back() goes straight to the
// pool's put: the database already rolled back what the fiber left open, so this path never
// decides a rollback again. Destroyed unreturned, the handle returns as a direct borrower's.
class pool_lease final : public db::lease {
 public:
  explicit pool_lease(pooled_connection handle) noexcept : handle_(std::move(handle)) {}
  connection& get() noexcept override { return handle_.get(); }
  // give_back: back to the pool (reset for the next borrower as its options say), or, without
  // `keep`, closed and counted broken.
  void give_back(bool keep) noexcept override {
    if (handle_) handle_.give_back(handle_.pool_->options().reset_on_return, !keep, /*roll_back=*/false);
  }

 private:
  pooled_connection handle_;
};

pool_source::pool_source(std::shared_ptr<connection_pool> pool) : pool_(std::move(pool)) {
  if (!pool_) throw std::invalid_argument("fibersql::pool::pool_source: the pool is null");
}

std::unique_ptr<db::lease> pool_source::acquire() {
  return std::make_unique<pool_lease>(pool_->acquire());
}

bool pool_source::returns_after_each_statement() const noexcept {
  return pool_->options().return_after_each_statement;
}

std::string pool_source::describe() const {
  return pool_->describe();
}

}  // namespace fibersql::pool
