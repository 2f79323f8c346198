#include <fibersql/pool/connection_pool.hpp>

#include <stdexcept>

#include "detail/pool_impl.hpp"

namespace fibersql::pool {

namespace {

// The plain factory's connections, each lent to the pool as an owned_lease (closed when the
// pool retires it).
detail::lease_factory owning(connection_factory factory) {
  if (!factory) return {};  // pool_impl names the empty factory
  return [open = std::move(factory)]() -> std::unique_ptr<db::lease> {
    std::unique_ptr<connection> c = open();
    if (!c) return nullptr;
    return std::make_unique<db::owned_lease>(std::move(c));
  };
}

}  // namespace

connection_pool::connection_pool(connection_factory factory, pool_options options)
    : impl_(std::make_shared<detail::pool_impl>(owning(std::move(factory)), std::move(options))) {}

connection_pool::connection_pool(std::shared_ptr<db::connection_source> upstream, pool_options options) {
  if (!upstream) throw std::invalid_argument("fibersql::pool::connection_pool: the upstream source is null");
  // Each connection is the upstream's lease; the pool gives it back when it retires it.
  impl_ = std::make_shared<detail::pool_impl>([upstream] { return upstream->acquire(); }, std::move(options));
}

connection_pool::~connection_pool() {
  impl_->close();
}

pooled_connection connection_pool::acquire() {
  return impl_->acquire();
}

pool_stats connection_pool::stats() const {
  return impl_->stats();
}

const pool_options& connection_pool::options() const noexcept {
  return impl_->options();
}

std::string connection_pool::describe() const {
  return impl_->describe();
}

void connection_pool::close() noexcept {
  impl_->close();
}

}  // namespace fibersql::pool
