// The conflict test and the jittered back-off behind atomic(fn, {.retry_on_conflict = N}).
#include <algorithm>
#include <random>

#include <fibersql/db/atomic_options.hpp>
#include <fibersql/runtime/this_fiber.hpp>
#include <fibersql/sql/errors.hpp>

namespace fibersql::db::detail {

bool is_conflict(const error& e) noexcept {
  // Both the errno and the SQLSTATE: another backend's numbering may reuse 1213.
  return e.code() == 1213 && e.sqlstate() == "40001" && !e.poisons_connection();
}

void conflict_backoff(unsigned attempt, const atomic_options& options) {
  // One generator per thread: fibers of one hub share it without locking.
  thread_local std::minstd_rand random{std::random_device{}()};
  const auto base = std::max(options.retry_backoff, clock::duration::zero());
  const auto cap = std::max(options.retry_backoff_max, base);
  clock::duration d = base;
  for (unsigned i = 0; i < attempt && d < cap; ++i) d *= 2;
  d = std::min(d, cap);
  std::uniform_int_distribution<clock::rep> pick(d.count() / 2, d.count());
  this_fiber::sleep_for(clock::duration(pick(random)));
}

}  // namespace fibersql::db::detail
