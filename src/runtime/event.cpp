#include <fibersql/runtime/event.hpp>

namespace fibersql {

void event::set() {
  set_ = true;
  waiters_.notify_all();
}

bool event::wait(clock::duration limit) {
  const deadline until = deadline_after(limit);
  while (!set_) {
    if (!waiters_.wait("event", until)) return set_;
  }
  return true;
}

}  // namespace fibersql
