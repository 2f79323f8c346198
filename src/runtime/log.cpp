// The library's log sink: a copy of the current sink is taken under a mutex and called
// outside it, so a sink may log or replace the sink without deadlocking.
#include <fibersql/runtime/log.hpp>

#include <cstdio>
#include <memory>
#include <mutex>

namespace fibersql {
namespace {

struct sink_state {
  std::mutex mutex;
  std::shared_ptr<const log_sink> sink;   // guarded by mutex; null: stderr
  log_level min_level = log_level::info;  // guarded by mutex
};

sink_state& state() {
  static sink_state* s = new sink_state;  // never destroyed: fibers may log during exit
  return *s;
}

}  // namespace

const char* to_string(log_level level) noexcept {
  switch (level) {
    case log_level::debug:
      return "debug";
    case log_level::info:
      return "info";
    case log_level::warning:
      return "warning";
    case log_level::error:
      return "error";
  }
  return "unknown";
}

void set_log_sink(log_sink sink, log_level min_level) {
  auto shared = sink ? std::make_shared<const log_sink>(std::move(sink)) : nullptr;
  std::lock_guard lock(state().mutex);
  state().sink = std::move(shared);
  state().min_level = min_level;
}

namespace detail {

void log_message(log_level level, std::string_view message) noexcept {
  std::shared_ptr<const log_sink> sink;
  {
    std::lock_guard lock(state().mutex);
    if (level < state().min_level) return;
    sink = state().sink;
  }
  if (!sink) {
    std::fprintf(stderr, "%.*s\n", static_cast<int>(message.size()), message.data());
    return;
  }
  try {
    (*sink)(level, message);
  } catch (...) {
    // A failing sink must not take down the fiber, the watchdog or the pool that reported.
  }
}

}  // namespace detail
}  // namespace fibersql
