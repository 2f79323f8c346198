#pragma once
// A loopback TCP proxy that runs on fibers and misbehaves on request: delays, resets,
// swallows, or cuts the stream after N bytes. It sits between a client and the real server.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <fibersql/runtime/clock.hpp>
#include <fibersql/runtime/fiber.hpp>

namespace fibersql::testing {

enum class fault {
  none,       // forward everything
  delay,      // sleep `delay` before forwarding each chunk
  reset,      // accept, then close with RST at once
  blackhole,  // accept, then never read or forward anything
  cut,        // forward `cut_after` bytes (both directions together), then close both sides
};

struct fault_settings {
  fault mode = fault::none;
  clock::duration delay{};    // for fault::delay
  std::size_t cut_after = 0;  // bytes, for fault::cut
};

class fault_proxy {
 public:
  // Listens on 127.0.0.1 (a free port) and forwards to target_host:target_port.
  // Call from a fiber; the proxy's fibers live on the caller's hub.
  fault_proxy(std::string target_host, unsigned target_port);
  ~fault_proxy();  // stop()
  fault_proxy(const fault_proxy&) = delete;
  fault_proxy& operator=(const fault_proxy&) = delete;

  unsigned port() const noexcept { return port_; }
  // Applies to connections accepted from now on.
  void set(fault_settings settings) noexcept { settings_ = settings; }
  // Kills every proxy fiber and closes every descriptor; waits for them to end.
  void stop();
  // Links still open (each holds two descriptors).
  std::size_t open_links() const noexcept;
  // Bytes forwarded over every link so far, both directions.
  std::size_t bytes_forwarded() const noexcept;

 private:
  struct state;
  void accept_loop();

  std::string target_host_;
  unsigned target_port_;
  unsigned port_ = 0;
  int listen_fd_ = -1;
  fault_settings settings_;
  std::shared_ptr<state> state_;
  fiber acceptor_;
};

}  // namespace fibersql::testing
