#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Fiber-local storage whose destructors run when the fiber ends — by return, exception, kill
// or hub shutdown — while that fiber is still current, so cleanup may still wait on IO.
#include <utility>

#include <fibersql/runtime/detail/fiber_local_slots.hpp>

namespace fibersql {

template <class T>
class fiber_local {
 public:
  fiber_local() = default;
  fiber_local(const fiber_local&) = delete;
  fiber_local& operator=(const fiber_local&) = delete;
  // Moving hands the fibers' objects to the new owner (the key moves); the source starts over
  // with a fresh key and no objects. Objects under a key given up by assignment stay with
  // their fibers and are destroyed when those fibers end, as always.
  fiber_local(fiber_local&& other) noexcept : key_(std::exchange(other.key_, detail::new_fiber_local_key())) {}
  fiber_local& operator=(fiber_local&& other) noexcept {
    if (this != &other) key_ = std::exchange(other.key_, detail::new_fiber_local_key());
    return *this;
  }

  // get: the calling fiber's object, default-constructed on first use.
  // Throws: misuse_error outside a fiber.
  T& get() {
    if (T* p = get_if()) return *p;
    return emplace();
  }
  // The calling fiber's object, or nullptr if it has none yet.
  T* get_if() { return static_cast<T*>(detail::fiber_local_get(key_)); }
  // emplace: replaces the calling fiber's object.
  template <class... Args>
  T& emplace(Args&&... args) {
    reset();
    T* p = new T(std::forward<Args>(args)...);
    detail::fiber_local_set(key_, p, [](void* o) { delete static_cast<T*>(o); });
    return *p;
  }
  // reset: destroys the calling fiber's object now.
  void reset() { detail::fiber_local_reset(key_); }

 private:
  std::uint64_t key_ = detail::new_fiber_local_key();
};

}  // namespace fibersql
FIBERSQL_PUBLIC_END
