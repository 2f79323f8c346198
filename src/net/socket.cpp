#include <fibersql/net/socket.hpp>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>

#include <fibersql/net/errors.hpp>
#include <fibersql/runtime/errors.hpp>
#include <fibersql/runtime/io_wait.hpp>

namespace fibersql::net {

int socket::fd_or_throw(const char* operation) const {
  if (!fd_) throw net_error(EBADF, std::string("socket::") + operation + ": the socket is closed");
  return fd_.get();
}

std::string socket::peer_name() const noexcept {
  if (peer_.size() != 0) return peer_.to_string();
  try {
    return remote_endpoint().to_string();
  } catch (...) {
    return "(unconnected)";
  }
}

std::size_t socket::read_some(std::span<char> buffer, deadline until) {
  const int fd = fd_or_throw("read_some");
  for (;;) {
    const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      const int e = errno;
      throw net_error(e, "read from " + peer_name() + " failed");
    }
    if (!wait_readable(fd, until)) throw net_error(ETIMEDOUT, "read from " + peer_name() + " timed out");
  }
}

void socket::read(std::span<char> buffer, deadline until) {
  std::size_t got = 0;
  while (got < buffer.size()) {
    const std::size_t n = read_some(buffer.subspan(got), until);
    if (n == 0) {
      throw end_of_stream("read from " + peer_name() + ": the stream ended after " + std::to_string(got) + " of " +
                          std::to_string(buffer.size()) + " bytes");
    }
    got += n;
  }
}

void socket::write_all(std::string_view data, deadline until) {
  const int fd = fd_or_throw("write_all");
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n >= 0) {
      data.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      const int e = errno;
      throw net_error(e, "write to " + peer_name() + " failed");
    }
    if (!wait_writable(fd, until)) throw net_error(ETIMEDOUT, "write to " + peer_name() + " timed out");
  }
}

void socket::shutdown(shutdown_type how) {
  const int fd = fd_or_throw("shutdown");
  const int h = how == shutdown_type::read ? SHUT_RD : how == shutdown_type::write ? SHUT_WR : SHUT_RDWR;
  if (::shutdown(fd, h) != 0) {
    const int e = errno;
    throw net_error(e, "shutdown of the connection to " + peer_name() + " failed");
  }
}

void socket::set_no_delay(bool on) {
  const int fd = fd_or_throw("set_no_delay");
  if (local_endpoint().is_unix()) return;
  const int v = on ? 1 : 0;
  if (::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, sizeof v) != 0) {
    const int e = errno;
    throw net_error(e, "setting TCP_NODELAY failed");
  }
}

endpoint socket::local_endpoint() const {
  sockaddr_storage s{};
  socklen_t len = sizeof s;
  if (::getsockname(fd_or_throw("local_endpoint"), reinterpret_cast<sockaddr*>(&s), &len) != 0) {
    const int e = errno;
    throw net_error(e, "getsockname failed");
  }
  return endpoint::from_sockaddr(reinterpret_cast<sockaddr*>(&s), len);
}

endpoint socket::remote_endpoint() const {
  sockaddr_storage s{};
  socklen_t len = sizeof s;
  if (::getpeername(fd_or_throw("remote_endpoint"), reinterpret_cast<sockaddr*>(&s), &len) != 0) {
    const int e = errno;
    throw net_error(e, "getpeername failed");
  }
  return endpoint::from_sockaddr(reinterpret_cast<sockaddr*>(&s), len);
}

}  // namespace fibersql::net
