#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// A scoped timeout: every wait inside the scope throws timeout_error once the deadline passes.
#include <fibersql/runtime/clock.hpp>
#include <fibersql/runtime/errors.hpp>

namespace fibersql {

class timeout {
 public:
  // Starts the scope. Throws: misuse_error outside a fiber.
  explicit timeout(clock::duration limit);
  ~timeout();
  timeout(const timeout&) = delete;
  timeout& operator=(const timeout&) = delete;

  // True if `e` was thrown because this scope expired (not an inner or outer one).
  bool owns(const timeout_error& e) const noexcept { return e.scope() == this; }
  deadline expires_at() const noexcept { return deadline_; }
  clock::duration limit() const noexcept { return limit_; }

 private:
  friend struct detail_timeout_access;
  clock::duration limit_;
  deadline deadline_;
  const timeout* outer_;
};

}  // namespace fibersql
FIBERSQL_PUBLIC_END
