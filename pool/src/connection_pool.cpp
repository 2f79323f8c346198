#include <fibersql/pool/connection_pool.hpp>

#include <stdexcept>

#include "detail/pool_impl.hpp"

namespace fibersql::pool {

connection_pool::connection_pool(connection_factory factory, pool_options options)
    : impl_(std::make_shared<detail::pool_impl>(std::move(factory), std::move(options))) {}

connection_pool::connection_pool(std::shared_ptr<db::connection_source> upstream, pool_options options) {
  if (!upstream) throw std::invalid_argument("fibersql::pool::connection_pool: the upstream source is null");
  impl_ = std::make_shared<detail::pool_impl>([upstream] { return upstream->acquire(); }, std::move(options));
  impl_->set_disposer([upstream](std::unique_ptr<connection> c) noexcept { upstream->release(std::move(c)); });
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
