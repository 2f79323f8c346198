#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// The backend-neutral connection surface that MySQL and SQLite connections both implement
// and that Database, the pool and the ORM are written against.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <fibersql/sql/result.hpp>
#include <fibersql/sql/row_stream.hpp>
#include <fibersql/sql/server_info.hpp>
#include <fibersql/sql/statement.hpp>
#include <fibersql/sql/value.hpp>

namespace fibersql {

namespace detail {
class prepared_cache;
}

class connection {
 public:
  connection();
  virtual ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  // query: runs one statement; '?' placeholders take params in order, always bound or escaped
  // by the backend, never pasted. Returns every row buffered.
  // Throws: the DB-API hierarchy (errors.hpp). An error that poisons_connection() leaves the
  // connection broken and closed. Fiber-safety: one fiber at a time (concurrent_use_error).
  virtual result query(std::string_view sql, std::span<const value> params) = 0;
  result query(std::string_view sql) { return query(sql, std::span<const value>{}); }
  result query(std::string_view sql, std::initializer_list<value> params) {
    return query(sql, std::span<const value>(params.begin(), params.size()));
  }

  // open_stream: runs one statement and hands its rows over one at a time; the connection
  // runs nothing else until the stream is done or closed. The stream must not outlive the
  // connection. Default: query() buffered, then handed out row by row (backends override).
  // Throws: as query().
  virtual std::unique_ptr<row_stream> open_stream(std::string_view sql, std::span<const value> params);
  // open_statement: `sql` prepared for repeated execute(params) on this connection; it must
  // not outlive the connection. Default: each execute() runs query(sql, params) again.
  // Throws: as query() (MySQL: programming_error for bad SQL at prepare time).
  virtual std::unique_ptr<statement> open_statement(std::string_view sql);
  // query_prepared: as query(), through a statement open_statement() prepared once for this
  // exact `sql` and kept in a bounded per-connection LRU (MySQL: one COM_STMT_PREPARE per
  // shape, then the binary protocol). For canonical statements run again and again (the
  // ORM's); one-off text belongs in query(). The cache dies with the connection, and reset()
  // and close() empty it. A statement the server no longer knows (1615 "needs to be
  // re-prepared", 1243 unknown handler: it did not execute) is prepared again, once.
  // Throws: as query() and open_statement().
  virtual result query_prepared(std::string_view sql, std::span<const value> params);
  // prepared_cache_capacity: how many statements query_prepared keeps (default 64); 0 turns
  // the cache off (query_prepared runs query()). Shrinking evicts the least recently used.
  // Wrappers forward both.
  virtual std::size_t prepared_cache_capacity() const noexcept;
  virtual void set_prepared_cache_capacity(std::size_t n);

  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
  // True between begin() and commit()/rollback() (as the backend reports it).
  virtual bool in_transaction() const noexcept = 0;

  // ping: proves the connection still answers. Throws: operational_error.
  virtual void ping() = 0;
  // reset: rolls back and clears session state so the next user starts clean (pool return).
  virtual void reset() = 0;
  // True once an interrupted or failed operation left the protocol state unknown.
  virtual bool is_broken() const noexcept = 0;
  // The server's id for this session (MySQL CONNECTION_ID()); 0 where there is none.
  virtual std::uint64_t server_thread_id() const noexcept = 0;
  // close: releases the session and its descriptor. Never throws; idempotent.
  virtual void close() noexcept = 0;
  // "mysql" or "sqlite".
  virtual std::string_view backend_name() const noexcept = 0;
  // server_version: the server's flavour (SQLite, MariaDB, MySQL) and version, known without
  // a query (read at connect). Default: unknown, for connections that cannot tell.
  virtual server_info server_version() const noexcept { return {}; }
  // server: server_version(), asked once and kept (a connection never changes server), so
  // per-statement callers (the ORM's dialect) neither parse nor ask again. Wrappers forward.
  virtual server_info server() const noexcept;
  // endpoint: the server this connection talks to ("host:port", or the socket path), for
  // per-host pool stats. Default: empty (SQLite, connections that cannot tell).
  virtual std::string endpoint() const { return {}; }

 protected:
  // forget_prepared: drops every cached statement; backends call it where their statements
  // die (close(), and MySQL's reset(), whose COM_RESET_CONNECTION frees them on the server).
  void forget_prepared() noexcept;

 private:
  std::unique_ptr<detail::prepared_cache> prepared_;
  mutable std::optional<server_info> server_;
};

}  // namespace fibersql
FIBERSQL_PUBLIC_END
