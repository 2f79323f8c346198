#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Fibers: spawn, join, kill. A fiber runs on the hub of the thread that spawned it.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <optional>
#include <span>
#include <string>

#include <fibersql/runtime/clock.hpp>

namespace fibersql {

namespace detail {
struct fiber_context;
struct fiber_access;
}  // namespace detail

// Ready-queue class. Background fibers run when no normal fiber is ready, and in any case
// get one turn in every nine, so they never starve and never crowd out request serving.
enum class priority { normal, background };

struct spawn_options {
  std::string name{};                  // shown in dumps, watchdog reports, errors
  std::size_t stack_size = 64 * 1024;  // bytes, rounded up to pages; a guard page sits below
  fibersql::priority priority = priority::normal;
};

// fiber: a handle to a spawned fiber (copyable; the fiber runs whether or not a handle lives).
class fiber {
 public:
  fiber() = default;
  fiber(const fiber& other) noexcept;
  fiber(fiber&& other) noexcept;
  fiber& operator=(fiber other) noexcept;
  ~fiber();

  std::uint64_t id() const noexcept;
  const std::string& name() const noexcept;
  bool done() const noexcept;
  // True if the fiber ended because of kill() (fiber_exit).
  bool killed() const noexcept;

  // join: waits until the fiber ends; rethrows the exception it died with, if any.
  // Throws: misuse_error when joining oneself or a fiber of another hub.
  void join() const;
  // join(timeout): as join(); false if the fiber was still running when `limit` passed.
  bool join(clock::duration limit) const;
  // kill: the fiber gets fiber_exit at its next wait point (at once if it kills itself).
  // Does not wait; join() to wait.
  void kill() const;

  explicit operator bool() const noexcept { return ctx_ != nullptr; }

 private:
  // The runtime makes handles from and reads them as its fiber records
  // (src/runtime/detail/access.hpp); nothing else sees them.
  friend struct detail::fiber_access;
  explicit fiber(detail::fiber_context* ctx) noexcept;  // takes a new reference
  detail::fiber_context* ctx_ = nullptr;
};

// spawn: starts `fn` as a new fiber on the calling thread's hub (it runs once the caller
// waits or yields). Throws: misuse_error if the thread has no hub.
fiber spawn(std::function<void()> fn, spawn_options options = {});

// join_all: joins every fiber, then rethrows the first failure in the given order.
void join_all(std::span<const fiber> fibers);
// wait_any: waits until one of the fibers has ended; returns its index (iwait-style),
// or nullopt if `limit` passed first.
std::optional<std::size_t> wait_any(std::span<const fiber> fibers, clock::duration limit = clock::duration::max());

// Reports a fiber's failure that nobody joined. The default prints to stderr.
using unhandled_error_handler =
    std::function<void(std::uint64_t fiber_id, const std::string& fiber_name, std::exception_ptr)>;
void set_unhandled_error_handler(unhandled_error_handler handler);

}  // namespace fibersql
FIBERSQL_PUBLIC_END
