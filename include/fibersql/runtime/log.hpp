#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// One sink for the library's own messages: fibers that failed with nobody joining them, hub
// shutdown trouble, watchdog reports, abandoned transactions, pool leak reports.
#include <functional>
#include <string_view>

namespace fibersql {

enum class log_level { debug, info, warning, error };

// "debug", "info", "warning", "error".
const char* to_string(log_level level) noexcept;

// Receives one message (no trailing newline) and its level. Called on whichever thread the
// event happened (the watchdog reports from its own thread), so it must be thread-safe; it
// must not throw (exceptions are swallowed) and should not block long.
using log_sink = std::function<void(log_level level, std::string_view message)>;

// set_log_sink: sends messages at `min_level` or above to `sink`; an empty sink restores the
// default, one line per message on stderr. Fiber-safety: callable from any thread.
void set_log_sink(log_sink sink, log_level min_level = log_level::info);

namespace detail {
// log_message: hands `message` to the sink if `level` passes. Never throws.
void log_message(log_level level, std::string_view message) noexcept;
}  // namespace detail

}  // namespace fibersql
FIBERSQL_PUBLIC_END
