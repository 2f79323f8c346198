#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// A stream server in gevent's StreamServer shape: an accept fiber, and one handler fiber per
// connection, at most `max_connections` at once (the rest wait in the kernel's backlog).
//
// Stopping is graceful: stop(drain) stops accepting (the listener closes), gives the running
// handlers up to `drain` to finish, then kills those left and waits for them to unwind, so
// their sockets and fiber-local connections are released before stop() returns.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>

#include <fibersql/net/listener.hpp>
#include <fibersql/net/socket.hpp>
#include <fibersql/runtime/clock.hpp>
#include <fibersql/runtime/event.hpp>
#include <fibersql/runtime/fiber.hpp>
#include <fibersql/runtime/semaphore.hpp>

namespace fibersql::net {

struct server_options {
  // Handler fibers allowed at once; accepting pauses while this many run.
  std::size_t max_connections = 10000;
  // Names the accept fiber ("<name>-accept") and each handler ("<name>-conn") in dumps.
  std::string name = "stream_server";
  std::size_t handler_stack_size = 64 * 1024;  // bytes, per handler fiber
  // Called (in the handler's fiber) with a handler's std::exception; default: one stderr line.
  std::function<void(const std::exception&)> on_handler_error{};
};

struct server_stats {
  std::uint64_t accepted = 0;        // connections accepted since start
  std::size_t active = 0;            // handler fibers running now
  std::uint64_t handler_errors = 0;  // handlers that ended with a std::exception
  std::uint64_t killed_on_stop = 0;  // handlers still running when a stop's drain ran out
  std::uint64_t accept_errors = 0;   // accept failures survived (EMFILE...)
};

class stream_server {
 public:
  using handler = std::function<void(socket&)>;
  // stream_server: serves `where` once started; `h` runs in a new fiber per connection and
  // the socket closes when it returns. Throws: std::invalid_argument (max_connections 0).
  stream_server(listener where, handler h, server_options options = {});
  // Stops without draining (handlers are killed) if still running.
  ~stream_server();
  stream_server(const stream_server&) = delete;
  stream_server& operator=(const stream_server&) = delete;

  // start: spawns the accept fiber on the calling thread's hub.
  // Throws: misuse_error (started twice, or after stop()).
  void start();
  // serve_forever: start() and wait until stop() (from another fiber) has finished.
  // Throws: fiber_exit, timeout_error.
  void serve_forever();
  // stop: stops accepting, waits up to `drain` for handlers, kills the rest; returns how many
  // were killed. Idempotent. Fiber-safety: on the server's hub, not from one of its handlers.
  // Throws: misuse_error (from a handler), fiber_exit, timeout_error.
  std::size_t stop(clock::duration drain = clock::duration::zero());

  const endpoint& local_endpoint() const noexcept { return local_; }
  server_stats stats() const noexcept;
  bool serving() const noexcept { return started_ && !stopping_; }

 private:
  void accept_loop();
  void spawn_handler(socket s);

  listener listener_;
  endpoint local_;
  handler handler_;
  server_options options_;
  semaphore slots_;
  fiber acceptor_;
  std::unordered_map<std::uint64_t, fiber> handlers_;  // live handlers by fiber id
  event stopped_;                                      // set when stop() has finished
  event idle_;                                         // set while no handler runs
  bool started_ = false;
  bool stopping_ = false;
  server_stats stats_;
};

}  // namespace fibersql::net
FIBERSQL_PUBLIC_END
