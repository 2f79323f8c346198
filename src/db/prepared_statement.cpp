// prepared_statement: a backend statement tied to the connection generation it was made on.
#include <fibersql/db/prepared_statement.hpp>

#include <fibersql/runtime/this_fiber.hpp>
#include <fibersql/sql/errors.hpp>

#include "detail/state.hpp"

namespace fibersql::db {

prepared_statement::prepared_statement(std::shared_ptr<detail::fiber_slot> slot, std::uint64_t generation,
                                       std::string sql, std::unique_ptr<statement> stmt) noexcept
    : slot_(std::move(slot)), generation_(generation), sql_(std::move(sql)), stmt_(std::move(stmt)) {}

prepared_statement::~prepared_statement() = default;

result prepared_statement::execute(std::span<const value> params) {
  if (!slot_ || !stmt_) throw interface_error(0, "HY000", "prepared_statement: used after a move");
  detail::fiber_slot& s = *slot_;
  if (s.ended || s.fiber_id != this_fiber::id())
    throw interface_error(0, "HY000", "prepared_statement: a statement belongs to the fiber that prepared it");
  if (!s.conn || s.generation != generation_ || !s.state)
    throw interface_error(0, "HY000",
                          "prepared_statement: the connection it was prepared on is gone; prepare it again");
  return s.state->run(s, sql_, [&](fibersql::connection&) { return stmt_->execute(params); });
}

}  // namespace fibersql::db
