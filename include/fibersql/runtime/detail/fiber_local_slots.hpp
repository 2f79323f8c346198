#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
#include <cstdint>

namespace fibersql::detail {

// Storage behind fiber_local<T>: per-fiber slots keyed by a process-unique key.
std::uint64_t new_fiber_local_key() noexcept;
// Throws: misuse_error outside a fiber.
void* fiber_local_get(std::uint64_t key);
void fiber_local_set(std::uint64_t key, void* object, void (*destroy)(void*));
// Destroys the calling fiber's object for `key`, if any.
void fiber_local_reset(std::uint64_t key);

}  // namespace fibersql::detail
FIBERSQL_PUBLIC_END
