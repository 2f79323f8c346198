#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// What the running fiber can do to itself.
#include <cstdint>
#include <string>

#include <fibersql/runtime/clock.hpp>
#include <fibersql/runtime/fiber.hpp>

namespace fibersql::this_fiber {

// sleep_for / sleep_until: parks the fiber. Throws: fiber_exit, timeout_error, misuse_error.
void sleep_for(clock::duration d);
void sleep_until(deadline until);
// yield: lets every other ready fiber run, then continues. Also a kill/timeout check point.
void yield();
// The running fiber's id; 0 outside any fiber.
std::uint64_t id() noexcept;
// The running fiber's name; empty outside any fiber.
const std::string& name() noexcept;
// A handle to the running fiber. Throws: misuse_error outside any fiber.
fiber self();
// True when called from inside a fiber.
bool in_fiber() noexcept;
// kill_pending: true once the running fiber was killed, even if user code caught the
// fiber_exit (a catch (...)): the fiber is leaving and must not commit or start new work.
// False outside any fiber.
bool kill_pending() noexcept;

}  // namespace fibersql::this_fiber
FIBERSQL_PUBLIC_END
