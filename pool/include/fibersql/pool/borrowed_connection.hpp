#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// A pooled handle dressed as a plain fibersql::connection, for code written against the
// abstract interface (the Database): destroying it returns the connection to the pool.
#include <fibersql/pool/pooled_connection.hpp>
#include <fibersql/sql/connection.hpp>

namespace fibersql::pool {

class borrowed_connection final : public connection {
 public:
  explicit borrowed_connection(pooled_connection handle) noexcept : handle_(std::move(handle)) {}
  // Returns the connection to its pool (rolled back, reset for the next borrower).
  ~borrowed_connection() override = default;

  // Every call forwards to the pooled connection.
  // Throws: as the backend; interface_error once close() gave the connection up.
  using connection::query;
  result query(std::string_view sql, std::span<const value> params) override;
  std::unique_ptr<row_stream> open_stream(std::string_view sql, std::span<const value> params) override;
  std::unique_ptr<statement> open_statement(std::string_view sql) override;
  // query_prepared / server: the pooled connection's own cache, kept across borrows.
  result query_prepared(std::string_view sql, std::span<const value> params) override;
  server_info server() const noexcept override;
  std::size_t prepared_cache_capacity() const noexcept override;
  void set_prepared_cache_capacity(std::size_t n) override;
  void begin() override;
  void commit() override;
  void rollback() override;
  bool in_transaction() const noexcept override;
  void ping() override;
  void reset() override;
  bool is_broken() const noexcept override;
  std::uint64_t server_thread_id() const noexcept override;
  // close: closes the pooled connection for good (the pool counts it broken and opens
  // another when needed). Idempotent.
  void close() noexcept override;
  std::string_view backend_name() const noexcept override;
  server_info server_version() const noexcept override;

  // The handle, for return_without_reset() or backend access (handle().as<mysql_connection>()).
  pooled_connection& handle() noexcept { return handle_; }

 private:
  connection& live();
  pooled_connection handle_;
};

}  // namespace fibersql::pool
FIBERSQL_PUBLIC_END
