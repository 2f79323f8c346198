#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// offload: run a blocking function on a worker thread while the calling fiber waits, so the
// hub keeps running every other fiber.
//
// Kill and timeouts: a kill or an enclosing timeout scope makes the *fiber* stop waiting
// (fiber_exit / timeout_error, as any wait). The function cannot be interrupted: it runs to
// its end on its worker thread and its result (or exception) is dropped. So an offloaded
// function must own everything it touches (capture by value) and be bounded in time: a killed
// waiter leaves its worker busy until the function returns.
#include <exception>
#include <type_traits>
#include <utility>

#include <fibersql/runtime/async_result.hpp>
#include <fibersql/runtime/thread_pool.hpp>

namespace fibersql {

namespace detail {
template <class R, class F>
async_result<R> submit_to(thread_pool& pool, F&& fn) {
  async_result<R> answer;
  pool.submit([answer, fn = std::forward<F>(fn)]() mutable noexcept {
    try {
      if constexpr (std::is_void_v<R>) {
        fn();
        answer.set_value();
      } else {
        answer.set_value(fn());
      }
    } catch (...) {
      answer.set_exception(std::current_exception());
    }
  });
  return answer;
}
}  // namespace detail

// offload: runs `fn` on `pool` and returns its value or rethrows its exception in the calling
// fiber. The value type must be copyable.
// Throws: whatever fn throws; fiber_exit, timeout_error (scope), misuse_error (no fiber).
// Fiber-safety: any number of fibers, on any hubs, may offload at once.
template <class F>
auto offload(thread_pool& pool, F&& fn) -> std::invoke_result_t<std::decay_t<F>&> {
  using R = std::invoke_result_t<std::decay_t<F>&>;
  return detail::submit_to<R>(pool, std::forward<F>(fn)).get();
}

// offload: as above, on thread_pool::shared().
template <class F>
auto offload(F&& fn) -> std::invoke_result_t<std::decay_t<F>&> {
  return offload(thread_pool::shared(), std::forward<F>(fn));
}

// offload_shielded: as offload, but the fiber waits for `fn` to end even if it is killed or
// its timeout scope expires meanwhile; the kill or expiry is then seen at its next wait. For
// bounded work on state the fiber's unwinding would touch (a SQLite handle mid-commit), so
// `fn` may capture by reference. Throws: whatever fn throws; misuse_error (no fiber).
template <class F>
auto offload_shielded(thread_pool& pool, F&& fn) -> std::invoke_result_t<std::decay_t<F>&> {
  using R = std::invoke_result_t<std::decay_t<F>&>;
  return detail::submit_to<R>(pool, std::forward<F>(fn)).get_shielded();
}
template <class F>
auto offload_shielded(F&& fn) -> std::invoke_result_t<std::decay_t<F>&> {
  return offload_shielded(thread_pool::shared(), std::forward<F>(fn));
}

}  // namespace fibersql
FIBERSQL_PUBLIC_END
