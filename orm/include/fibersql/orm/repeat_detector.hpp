#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// repeat_detector: the N+1 alarm (design §7.8). While a detector is in scope on a fiber, every
// lookup statement that fiber runs — a successful SELECT that returned at most one row, or
// that filters a column by `= ?` — is counted by its shape (the SQL text, `IN (?, ?, ...)`
// lists folded to `IN (?)`; the ORM's SQL is canonical, so one loop is one shape). When a
// shape runs more than `threshold` times in the scope, on_repeat gets the fiber, the SQL, the
// count and a hint naming the prefetch that would replace the loop; once per shape per scope.
// The window is the scope: open one per request, job or page render. Needs a database opened
// with orm::observed() options.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

#include <fibersql/orm/statement_observer.hpp>

namespace fibersql::orm {

namespace detail {
struct fiber_observers;
}

struct repeat_report {
  std::uint64_t fiber_id = 0;
  std::string_view fiber_name;  // valid during the call only
  std::string_view sql;         // the statement that crossed the threshold; valid during the call only
  std::uint64_t count = 0;      // runs of its shape in the scope so far (threshold + 1)
  std::string hint;             // "users by users.id: ... orm::prefetch_parents(...)"
};

struct repeat_options {
  std::uint64_t threshold = 10;  // runs of one shape allowed per scope before on_repeat
  // Called on the fiber that ran the statement; must not throw (an exception is discarded)
  // and should not wait. Empty: one line on stderr.
  std::function<void(const repeat_report&)> on_repeat{};
};

class repeat_detector {
 public:
  // A scope object: create and destroy it on the same fiber.
  // Throws: misuse_error outside a fiber.
  explicit repeat_detector(repeat_options options = {});
  ~repeat_detector();
  repeat_detector(const repeat_detector&) = delete;
  repeat_detector& operator=(const repeat_detector&) = delete;

 private:
  friend void observe_statements(const db::statement_event& e) noexcept;
  // see: counts one lookup statement of this fiber, of shape hash `shape`.
  void see(const db::statement_event& e, std::uint64_t shape) noexcept;
  struct shape_count {
    std::uint64_t runs = 0;
    bool reported = false;
  };
  repeat_options options_;
  std::unordered_map<std::uint64_t, shape_count> shapes_;  // by shape hash
  repeat_detector* outer_ = nullptr;
  detail::fiber_observers* owner_ = nullptr;
};

namespace detail {
// lookup_shape: the shape hash of a lookup statement (see above), or 0 when e is none.
std::uint64_t lookup_shape(const db::statement_event& e) noexcept;
// repeat_hint: what to write instead of the loop running `sql`; `single_row`: it returned <= 1 row.
std::string repeat_hint(std::string_view sql, bool single_row);
}  // namespace detail

}  // namespace fibersql::orm
FIBERSQL_PUBLIC_END
