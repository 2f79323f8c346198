#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// A server-side prepared statement (binary protocol): parameters are bound, never escaped.
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <span>

#include <fibersql/sql/result.hpp>
#include <fibersql/sql/value.hpp>

namespace fibersql::mysql {

namespace detail {
class mysql_session;
struct mysql_stmt_state;
}  // namespace detail

class statement {
 public:
  statement(std::shared_ptr<detail::mysql_session> session, std::unique_ptr<detail::mysql_stmt_state> state);
  statement(statement&&) noexcept;
  statement& operator=(statement&&) noexcept;
  // Releases the statement on the server (COM_STMT_CLOSE has no reply, so this never waits).
  ~statement();

  // execute: binds params, runs the statement, returns every row buffered and typed.
  // Throws: programming_error (wrong parameter count), the DB-API hierarchy, fiber_exit,
  // timeout_error. Fiber-safety: one fiber at a time per connection (concurrent_use_error).
  result execute(std::span<const value> params = {});
  result execute(std::initializer_list<value> params) {
    return execute(std::span<const value>(params.begin(), params.size()));
  }
  std::size_t param_count() const noexcept;
  void close() noexcept;

 private:
  std::shared_ptr<detail::mysql_session> session_;
  std::unique_ptr<detail::mysql_stmt_state> state_;
};

}  // namespace fibersql::mysql
FIBERSQL_PUBLIC_END
