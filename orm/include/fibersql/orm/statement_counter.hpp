#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// statement_counter: how many statements the calling fiber ran while the counter is in scope
// (design §7.8): db.execute/query, ORM terminals, atomic()'s BEGIN/SAVEPOINT/COMMIT alike, on
// every database opened with orm::observed() options. Other fibers' statements are not
// counted (unlike peewee's logger-based assert_query_count); nested counters all count.
#include <cstdint>

#include <fibersql/orm/statement_observer.hpp>

namespace fibersql::orm {

namespace detail {
struct fiber_observers;
}

class statement_counter {
 public:
  // Starts at 0. A scope object: create and destroy it on the same fiber.
  // Throws: misuse_error outside a fiber.
  statement_counter();
  ~statement_counter();
  statement_counter(const statement_counter&) = delete;
  statement_counter& operator=(const statement_counter&) = delete;

  // count: statements the calling fiber ran since the counter was made (errors included).
  std::uint64_t count() const noexcept { return count_; }

 private:
  friend void observe_statements(const db::statement_event& e) noexcept;
  std::uint64_t count_ = 0;
  statement_counter* outer_ = nullptr;  // the next counter open on this fiber
  detail::fiber_observers* owner_ = nullptr;
};

}  // namespace fibersql::orm
FIBERSQL_PUBLIC_END
