#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Everything of the runtime layer.
#include <fibersql/runtime/async_result.hpp>
#include <fibersql/runtime/channel.hpp>
#include <fibersql/runtime/clock.hpp>
#include <fibersql/runtime/errors.hpp>
#include <fibersql/runtime/event.hpp>
#include <fibersql/runtime/fiber.hpp>
#include <fibersql/runtime/fiber_group.hpp>
#include <fibersql/runtime/fiber_local.hpp>
#include <fibersql/runtime/hub.hpp>
#include <fibersql/runtime/io_wait.hpp>
#include <fibersql/runtime/io_watch.hpp>
#include <fibersql/runtime/kill_shield.hpp>
#include <fibersql/runtime/log.hpp>
#include <fibersql/runtime/monitor.hpp>
#include <fibersql/runtime/mutex.hpp>
#include <fibersql/runtime/native_loop.hpp>
#include <fibersql/runtime/offload.hpp>
#include <fibersql/runtime/semaphore.hpp>
#include <fibersql/runtime/signal_set.hpp>
#include <fibersql/runtime/this_fiber.hpp>
#include <fibersql/runtime/thread_pool.hpp>
#include <fibersql/runtime/timeout.hpp>
FIBERSQL_PUBLIC_END
