#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// A connected stream socket (TCP or unix-domain) whose every wait parks the calling fiber.
//
// Each operation takes an optional own deadline: when it passes, the operation throws
// net_error(ETIMEDOUT). Enclosing timeout scopes throw timeout_error and kill() throws
// fiber_exit at the same wait points; the socket stays owned and closes on destruction.
// One fiber may read while another writes; two readers (or two writers) at once interleave
// bytes unpredictably and are the caller's bug.
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include <fibersql/net/endpoint.hpp>
#include <fibersql/net/unique_fd.hpp>
#include <fibersql/runtime/clock.hpp>

namespace fibersql::net {

enum class shutdown_type { read, write, both };

class socket {
 public:
  socket() = default;
  // socket: adopts a connected, non-blocking descriptor; `peer` (if known) names the other
  // end in error messages, even after a reset has made getpeername() fail.
  explicit socket(unique_fd fd, endpoint peer = {}) noexcept : fd_(std::move(fd)), peer_(peer) {}

  // read_some: waits until bytes arrive and returns how many were copied (at least 1), or 0
  // at the end of the stream (the peer shut down or closed its side).
  // Throws: net_error (ECONNRESET, ETIMEDOUT at `until`...), fiber_exit, timeout_error.
  std::size_t read_some(std::span<char> buffer, deadline until = no_deadline);
  // read: fills the whole buffer. Throws: end_of_stream if the stream ends first; as read_some.
  void read(std::span<char> buffer, deadline until = no_deadline);
  // write_all: sends every byte (no SIGPIPE: a closed peer is net_error EPIPE/ECONNRESET).
  // Throws: net_error, fiber_exit, timeout_error.
  void write_all(std::string_view data, deadline until = no_deadline);
  // shutdown: ends one or both directions; the peer's read_some then returns 0.
  // Throws: net_error (ENOTCONN...).
  void shutdown(shutdown_type how = shutdown_type::write);
  // set_no_delay: TCP_NODELAY (ignored on unix sockets). Throws: net_error.
  void set_no_delay(bool on = true);
  // close: releases the descriptor now (the destructor does it otherwise).
  void close() noexcept { fd_.reset(); }

  bool is_open() const noexcept { return static_cast<bool>(fd_); }
  int native_handle() const noexcept { return fd_.get(); }
  endpoint local_endpoint() const;   // Throws: net_error.
  endpoint remote_endpoint() const;  // Throws: net_error.

 private:
  std::string peer_name() const noexcept;
  int fd_or_throw(const char* operation) const;

  unique_fd fd_;
  endpoint peer_;  // as connected or accepted; empty if adopted without one
};

}  // namespace fibersql::net
FIBERSQL_PUBLIC_END
