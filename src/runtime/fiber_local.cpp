#include <fibersql/runtime/fiber_local.hpp>

#include <algorithm>
#include <atomic>

#include "detail/hub_impl.hpp"

namespace fibersql::detail {
namespace {

std::atomic<std::uint64_t> next_key{1};

auto find_slot(fiber_context& f, std::uint64_t key) {
  return std::find_if(f.locals.begin(), f.locals.end(), [key](const fiber_local_slot& s) { return s.key == key; });
}

}  // namespace

std::uint64_t new_fiber_local_key() noexcept {
  return next_key.fetch_add(1, std::memory_order_relaxed);
}

void* fiber_local_get(std::uint64_t key) {
  fiber_context& f = current_fiber("fiber_local");
  auto slot = find_slot(f, key);
  return slot == f.locals.end() ? nullptr : slot->object;
}

void fiber_local_set(std::uint64_t key, void* object, void (*destroy)(void*)) {
  fiber_context& f = current_fiber("fiber_local");
  try {
    f.locals.push_back({key, object, destroy});
  } catch (...) {
    destroy(object);
    throw;
  }
}

void fiber_local_reset(std::uint64_t key) {
  fiber_context& f = current_fiber("fiber_local");
  auto slot = find_slot(f, key);
  if (slot == f.locals.end()) return;
  fiber_local_slot doomed = *slot;
  f.locals.erase(slot);
  doomed.destroy(doomed.object);
}

}  // namespace fibersql::detail
