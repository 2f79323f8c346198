#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// scope_exit: runs a callable when the scope ends, however it ends (return, exception,
// fiber_exit). The one ad-hoc cleanup guard of the library, shaped like abseil's
// absl::Cleanup (absl/cleanup/cleanup.h):
//   detail::scope_exit release = [&] { s.release(); };
// The callable runs in a destructor, so it must not throw (a throw terminates).
#include <optional>
#include <type_traits>
#include <utility>

namespace fibersql::detail {

template <class F>
class [[nodiscard]] scope_exit {
  static_assert(std::is_nothrow_move_constructible_v<F>, "scope_exit needs a callable that moves without throwing");

 public:
  // Not explicit, so that `scope_exit name = [&] {...};` deduces F, as absl::Cleanup does.
  scope_exit(F fn) noexcept : fn_(std::move(fn)) {}  // NOLINT(google-explicit-constructor)
  scope_exit(scope_exit&& other) noexcept : fn_(std::move(other.fn_)) { other.fn_.reset(); }
  scope_exit(const scope_exit&) = delete;
  scope_exit& operator=(const scope_exit&) = delete;
  scope_exit& operator=(scope_exit&&) = delete;
  ~scope_exit() {
    if (fn_) (*fn_)();
  }

  // cancel: the cleanup will not run.
  void cancel() && noexcept { fn_.reset(); }
  // invoke: runs the cleanup now instead of at the end of the scope (once).
  void invoke() && {
    auto fn = std::move(fn_);
    fn_.reset();
    if (fn) (*fn)();
  }

 private:
  std::optional<F> fn_;  // empty once cancelled, invoked or moved from
};

template <class F>
scope_exit(F) -> scope_exit<F>;

}  // namespace fibersql::detail
FIBERSQL_PUBLIC_END
