#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// A listening stream socket: TCP (bind to address:port, optionally SO_REUSEPORT so each hub
// of a process can own its own listener on one port) or unix-domain.
#include <fibersql/net/endpoint.hpp>
#include <fibersql/net/socket.hpp>
#include <fibersql/net/unique_fd.hpp>
#include <fibersql/runtime/clock.hpp>

namespace fibersql::net {

struct listen_options {
  // Pending connections the kernel queues before accept (capped by net.core.somaxconn).
  int backlog = 4096;
  // SO_REUSEADDR: rebind a port with connections still in TIME_WAIT (TCP only).
  bool reuse_address = true;
  // SO_REUSEPORT: several listeners (one per hub) share the port; the kernel spreads new
  // connections across them (TCP only).
  bool reuse_port = false;
};

class listener {
 public:
  listener() = default;
  // listen: binds and listens. Port 0 picks a free port (see local_endpoint()). A unix path
  // must not exist yet; the listener unlinks it when closed.
  // Throws: net_error naming the endpoint (EADDRINUSE, EACCES...).
  static listener listen(const endpoint& where, listen_options options = {});
  listener(listener&& o) noexcept;
  listener& operator=(listener&& o) noexcept;
  ~listener();

  // accept: waits for the next connection; it is non-blocking and close-on-exec.
  // Throws: net_error (ETIMEDOUT at `until`, EMFILE...), fiber_exit, timeout_error.
  socket accept(deadline until = no_deadline);
  // close: stops listening (pending connections are reset by the kernel).
  void close() noexcept;

  bool is_open() const noexcept { return static_cast<bool>(fd_); }
  int native_handle() const noexcept { return fd_.get(); }
  const endpoint& local_endpoint() const noexcept { return local_; }

 private:
  unique_fd fd_;
  endpoint local_;  // with the port the kernel chose
};

}  // namespace fibersql::net
FIBERSQL_PUBLIC_END
