#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// The result of database::prepare(): a statement prepared on the calling fiber's connection
// (server-side for MySQL), executed as often as needed by that fiber.
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>

#include <fibersql/sql/statement.hpp>

namespace fibersql::db {

namespace detail {
struct fiber_slot;
}

class prepared_statement {
 public:
  prepared_statement(prepared_statement&&) noexcept = default;
  prepared_statement& operator=(prepared_statement&&) noexcept = default;
  ~prepared_statement();

  // execute: runs the statement with params on the fiber's connection, tracked in stats().
  // Throws: the DB-API hierarchy; interface_error from another fiber, or once the connection
  // it was prepared on is gone (discarded, closed, fiber ended): prepare again then.
  result execute(std::span<const value> params);
  result execute() { return execute(std::span<const value>{}); }
  result execute(std::initializer_list<value> params) {
    return execute(std::span<const value>(params.begin(), params.size()));
  }

 private:
  friend class database;
  prepared_statement(std::shared_ptr<detail::fiber_slot> slot, std::uint64_t generation, std::string sql,
                     std::unique_ptr<statement> stmt) noexcept;

  std::shared_ptr<detail::fiber_slot> slot_;
  std::uint64_t generation_ = 0;
  std::string sql_;
  std::unique_ptr<statement> stmt_;
};

}  // namespace fibersql::db
FIBERSQL_PUBLIC_END
