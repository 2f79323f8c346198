#include <fibersql/pool/borrowed_connection.hpp>
#include <fibersql/pool/pool_source.hpp>

#include <stdexcept>

#include <fibersql/sql/errors.hpp>

namespace fibersql::pool {

pool_source::pool_source(std::shared_ptr<connection_pool> pool) : pool_(std::move(pool)) {
  if (!pool_) throw std::invalid_argument("fibersql::pool::pool_source: the pool is null");
}

std::unique_ptr<connection> pool_source::acquire() {
  return std::make_unique<borrowed_connection>(pool_->acquire());
}

void pool_source::release(std::unique_ptr<connection> conn) noexcept {
  // Destroying a borrowed_connection returns it; anything else was not ours to keep.
  if (conn && dynamic_cast<borrowed_connection*>(conn.get()) == nullptr) conn->close();
  conn.reset();
}

bool pool_source::returns_after_each_statement() const noexcept {
  return pool_->options().return_after_each_statement;
}

std::string pool_source::describe() const {
  return pool_->describe();
}

connection& borrowed_connection::live() {
  if (!handle_) throw interface_error(0, "HY000", "pooled connection already closed");
  return handle_.get();
}

result borrowed_connection::query(std::string_view sql, std::span<const value> params) {
  return live().query(sql, params);
}
std::unique_ptr<row_stream> borrowed_connection::open_stream(std::string_view sql, std::span<const value> params) {
  return live().open_stream(sql, params);
}
std::unique_ptr<statement> borrowed_connection::open_statement(std::string_view sql) {
  return live().open_statement(sql);
}
result borrowed_connection::query_prepared(std::string_view sql, std::span<const value> params) {
  return live().query_prepared(sql, params);
}
server_info borrowed_connection::server() const noexcept {
  return handle_ ? handle_->server() : server_info{};
}
std::size_t borrowed_connection::prepared_cache_capacity() const noexcept {
  return handle_ ? handle_->prepared_cache_capacity() : 0;
}
void borrowed_connection::set_prepared_cache_capacity(std::size_t n) {
  live().set_prepared_cache_capacity(n);
}
void borrowed_connection::begin() {
  live().begin();
}
void borrowed_connection::commit() {
  live().commit();
}
void borrowed_connection::rollback() {
  live().rollback();
}
bool borrowed_connection::in_transaction() const noexcept {
  return handle_ && handle_->in_transaction();
}
void borrowed_connection::ping() {
  live().ping();
}
void borrowed_connection::reset() {
  live().reset();
}
bool borrowed_connection::is_broken() const noexcept {
  return !handle_ || handle_->is_broken();
}
std::uint64_t borrowed_connection::server_thread_id() const noexcept {
  return handle_ ? handle_->server_thread_id() : 0;
}
void borrowed_connection::close() noexcept {
  handle_.discard();
}
std::string_view borrowed_connection::backend_name() const noexcept {
  return handle_ ? handle_->backend_name() : std::string_view("closed");
}

server_info borrowed_connection::server_version() const noexcept {
  return handle_ ? handle_->server_version() : server_info{};
}

}  // namespace fibersql::pool
