#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// A descriptor registration that stays in the loop between waits. wait_io() registers and
// unregisters around every wait, which libev turns into an epoll_ctl per wait; a driver that
// waits on one socket for its whole life (a database connection) keeps an io_watch instead.
//
// Rule: destroy or reset() the io_watch BEFORE the descriptor is closed. epoll forgets a
// closed descriptor silently, so a registration kept across close() and a reused descriptor
// number would never see an event again.
#include <cstdint>
#include <memory>

#include <fibersql/runtime/clock.hpp>
#include <fibersql/runtime/io_wait.hpp>

namespace fibersql {

class io_watch {
 public:
  // Binds to `fd` on the calling thread's hub. Throws: misuse_error without a hub or fd < 0.
  explicit io_watch(int fd);
  ~io_watch();
  io_watch(const io_watch&) = delete;
  io_watch& operator=(const io_watch&) = delete;

  // wait: as wait_io(fd, events, until). One fiber at a time.
  // Throws: fiber_exit, timeout_error, misuse_error (another fiber waits, another hub).
  unsigned wait(unsigned events, deadline until = no_deadline);
  // reset: drops the registration now (the descriptor is about to be closed).
  void reset() noexcept;
  int fd() const noexcept;
  // on_current_hub: true if the watch belongs to the calling thread's current hub. An owner
  // that outlives its hub (a pooled connection used from a second run()) makes a new watch.
  bool on_current_hub() const noexcept;

  struct state;  // opaque: the libev watcher and who waits on it

 private:
  std::unique_ptr<state> state_;
};

}  // namespace fibersql
FIBERSQL_PUBLIC_END
