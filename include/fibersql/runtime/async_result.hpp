#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// A one-shot result: one producer sets a value or an exception, any number of fibers (on any
// hub) wait for it. Copies share the same result.
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>
#include <variant>

#include <fibersql/runtime/clock.hpp>
#include <fibersql/runtime/detail/oneshot_signal.hpp>
#include <fibersql/runtime/errors.hpp>

namespace fibersql {

template <class T>
class async_result {
  using stored = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

 public:
  // set_value / set_exception: fulfil once, from any thread. Throws: misuse_error if set twice.
  template <class... Args>
  void set_value(Args&&... args) {
    {
      std::lock_guard lock(state_->mutex);
      check_unset_locked();
      state_->value.emplace(std::forward<Args>(args)...);
    }
    state_->signal.fire();
  }
  void set_exception(std::exception_ptr e) {
    {
      std::lock_guard lock(state_->mutex);
      check_unset_locked();
      state_->error = std::move(e);
    }
    state_->signal.fire();
  }
  bool ready() const { return state_->signal.fired(); }

  // get: waits for the result; returns the value (a copy) or rethrows the exception.
  // Throws: timeout_error if `limit` passes first, fiber_exit, misuse_error.
  T get(clock::duration limit = clock::duration::max()) const {
    if (!state_->signal.wait(deadline_after(limit))) throw timeout_error(this, limit);
    std::lock_guard lock(state_->mutex);
    if (state_->error) std::rethrow_exception(state_->error);
    if constexpr (!std::is_void_v<T>) return *state_->value;
  }
  // get_shielded: as get() without a limit, but kills and timeout scopes do not end the wait
  // (they are seen at the caller's next wait). For results that must not be abandoned.
  T get_shielded() const {
    state_->signal.wait(no_deadline, false);
    std::lock_guard lock(state_->mutex);
    if (state_->error) std::rethrow_exception(state_->error);
    if constexpr (!std::is_void_v<T>) return *state_->value;
  }

 private:
  struct state {
    std::mutex mutex;
    std::optional<stored> value;  // guarded by mutex
    std::exception_ptr error;     // guarded by mutex
    detail::oneshot_signal signal;
  };
  void check_unset_locked() const {
    if (state_->value || state_->error) throw misuse_error("async_result set twice");
  }
  std::shared_ptr<state> state_ = std::make_shared<state>();
};

}  // namespace fibersql
FIBERSQL_PUBLIC_END
