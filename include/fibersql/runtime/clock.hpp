#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
#include <chrono>

namespace fibersql {

using clock = std::chrono::steady_clock;
using deadline = clock::time_point;
// A deadline that never comes.
inline constexpr deadline no_deadline = deadline::max();

// Deadline `d` from now, saturating instead of overflowing.
inline deadline deadline_after(clock::duration d) {
  if (d == clock::duration::max()) return no_deadline;  // "no limit" needs no clock read
  auto now = clock::now();
  return d >= no_deadline - now ? no_deadline : now + d;
}

}  // namespace fibersql
FIBERSQL_PUBLIC_END
