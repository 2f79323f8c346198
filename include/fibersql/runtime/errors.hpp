#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
#include <chrono>
#include <stdexcept>
#include <string>

namespace fibersql {

// Thrown into a fiber at its next wait point after kill(). Deliberately not a std::exception,
// so `catch (const std::exception&)` cannot swallow it; the fiber's entry catches it.
struct fiber_exit {};

// A scoped timeout (timeout.hpp) expired while the fiber waited inside it.
class timeout_error : public std::runtime_error {
 public:
  timeout_error(const void* scope, std::chrono::steady_clock::duration limit);
  // The timeout scope that expired (compare with timeout::owns()).
  const void* scope() const noexcept { return scope_; }

 private:
  const void* scope_;
};

// The runtime was used in a way that can never work: waiting outside any fiber, joining
// oneself, touching a hub from another thread, a second hub on one thread, a deadlock.
class misuse_error : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

}  // namespace fibersql
FIBERSQL_PUBLIC_END
