#pragma once
// The statement_counter and repeat_detector scopes open on one fiber, kept in a fiber_local:
// observe_statements reads the running fiber's, so a statement reaches only its own fiber's
// scopes. Private to orm/src.
namespace fibersql::orm {
class statement_counter;
class repeat_detector;
}  // namespace fibersql::orm

namespace fibersql::orm::detail {

struct fiber_observers {
  statement_counter* counters = nullptr;  // innermost first
  repeat_detector* detectors = nullptr;   // innermost first
};

// The calling fiber's scopes, created on first use. Throws: misuse_error outside a fiber.
fiber_observers& this_fiber_observers();
// The calling fiber's scopes, or nullptr when it never opened one (or outside a fiber).
fiber_observers* this_fiber_observers_if_any() noexcept;

// unlink: removes `item` from the singly linked list starting at `head` (next member `Next`).
template <class T, T* T::*Next>
void unlink(T*& head, T* item) noexcept {
  for (T** p = &head; *p; p = &((*p)->*Next)) {
    if (*p == item) {
      *p = item->*Next;
      return;
    }
  }
}

}  // namespace fibersql::orm::detail
