#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// An asynchronous MySQL/MariaDB connection: every network wait parks only the calling fiber.
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fibersql/mysql/options.hpp>
#include <fibersql/mysql/row_stream.hpp>
#include <fibersql/mysql/statement.hpp>
#include <fibersql/runtime/clock.hpp>
#include <fibersql/sql/connection.hpp>
#include <fibersql/sql/errors.hpp>

namespace fibersql::mysql {

namespace detail {
class mysql_session;
}

class connection final : public fibersql::connection {
 public:
  // open: connects (resolving a host name on a helper thread, never on the hub).
  // Throws: interface_error (bad URL), operational_error (refused, 1045, timeout...),
  // fiber_exit, timeout_error. Fiber-safety: call from a fiber.
  static std::unique_ptr<connection> open(std::string_view url);
  static std::unique_ptr<connection> open(const connect_options& options);

  // Closes the session (never waits, never throws).
  ~connection() override;
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  using fibersql::connection::query;
  // query: text protocol; '?' outside literals and comments (as the session's sql_mode and
  // charset lex them) takes the next param as a literal (see quote()). Returns the first result set buffered; later
  // ones are drained.
  result query(std::string_view sql, std::span<const value> params) override;
  // query_all: every result of a multi-statement or CALL, in order.
  std::vector<result> query_all(std::string_view sql, std::span<const value> params = {});
  // stream: runs the query unbuffered (mysql_use_result); rows arrive one fetch at a time.
  // The connection stays busy until the stream ends or is closed.
  row_stream stream(std::string_view sql, std::span<const value> params = {});
  row_stream stream(std::string_view sql, std::initializer_list<value> params) {
    return stream(sql, std::span<const value>(params.begin(), params.size()));
  }
  // prepare: a server-side prepared statement bound to this connection.
  statement prepare(std::string_view sql);
  // open_stream / open_statement: stream() and prepare() behind the backend-neutral
  // interfaces (what db::database::stream() and prepare() use).
  std::unique_ptr<fibersql::row_stream> open_stream(std::string_view sql, std::span<const value> params) override;
  std::unique_ptr<fibersql::statement> open_statement(std::string_view sql) override;

  void begin() override;
  void commit() override;
  void rollback() override;
  void set_autocommit(bool on);
  bool in_transaction() const noexcept override;

  void ping() override;
  // reset: COM_RESET_CONNECTION, then the init commands again.
  void reset() override;
  bool is_broken() const noexcept override;
  std::uint64_t server_thread_id() const noexcept override;
  void close() noexcept override;
  std::string_view backend_name() const noexcept override { return "mysql"; }
  // MariaDB or MySQL and its version, from the server's handshake (mysql_get_server_info).
  server_info server_version() const noexcept override;

  // quote: the string as a SQL literal that cannot end early whatever the session's charset
  // and sql_mode: 'text' when it needs no escaping, else _<charset> X'<hex>'.
  std::string quote(std::string_view text) const;
  const connect_options& options() const noexcept;
  // "host:port" (after a multi-host connect: the host it landed on), or the socket path.
  std::string endpoint() const override;

 private:
  explicit connection(std::shared_ptr<detail::mysql_session> session);
  std::shared_ptr<detail::mysql_session> session_;
  // Last wsrep_check at validation (ping/reset); reset() checks at most once a second.
  clock::time_point wsrep_checked_at_{};
};

}  // namespace fibersql::mysql
FIBERSQL_PUBLIC_END
