#include <fibersql/net/connect.hpp>

#include <netdb.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <optional>
#include <stdexcept>

#include <fibersql/net/errors.hpp>
#include <fibersql/runtime/io_wait.hpp>
#include <fibersql/runtime/offload.hpp>
#include <fibersql/runtime/timeout.hpp>

namespace fibersql::net {
namespace {

std::vector<endpoint> lookup(const std::string& host, std::uint16_t port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* list = nullptr;
  const std::string service = std::to_string(port);
  const int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &list);
  if (rc != 0 || list == nullptr) {
    throw resolve_error(rc, "resolving host '" + host + "' failed (" + gai_strerror(rc) + ")");
  }
  std::vector<endpoint> v4, v6;
  for (const addrinfo* a = list; a != nullptr; a = a->ai_next) {
    (a->ai_family == AF_INET ? v4 : v6).push_back(endpoint::from_sockaddr(a->ai_addr, a->ai_addrlen));
  }
  freeaddrinfo(list);
  // IPv4 first: a server bound to 127.0.0.1 does not answer on ::1.
  v4.insert(v4.end(), v6.begin(), v6.end());
  return v4;
}

std::string millis(clock::duration d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) + " ms";
}

socket connect_until(const endpoint& to, deadline until, clock::duration limit) {
  unique_fd fd(::socket(to.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) {
    const int e = errno;
    throw net_error(e, "connect to " + to.to_string() + ": socket() failed");
  }
  int rc;
  do {
    rc = ::connect(fd.get(), to.data(), to.size());
  } while (rc != 0 && errno == EINTR);
  if (rc != 0 && errno != EINPROGRESS && errno != EAGAIN) {
    const int e = errno;
    throw net_error(e, "connect to " + to.to_string() + " failed");
  }
  if (rc != 0) {
    if (!wait_writable(fd.get(), until)) {
      throw net_error(ETIMEDOUT, "connect to " + to.to_string() + " timed out after " + millis(limit));
    }
    int error = 0;
    socklen_t len = sizeof error;
    ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &len);
    if (error != 0) throw net_error(error, "connect to " + to.to_string() + " failed");
  }
  return socket(std::move(fd), to);
}

}  // namespace

std::vector<endpoint> resolve(std::string_view host, std::uint16_t port) {
  return offload([host = std::string(host), port] { return lookup(host, port); });
}

socket connect(const endpoint& to, clock::duration limit) {
  return connect_until(to, deadline_after(limit), limit);
}

socket connect(std::string_view host, std::uint16_t port, clock::duration limit) {
  const deadline until = deadline_after(limit);
  std::vector<endpoint> addresses;
  try {
    addresses = {endpoint::ip(host, port)};  // numeric: no lookup at all
  } catch (const std::invalid_argument&) {
    std::optional<timeout> scope;
    if (limit != clock::duration::max()) scope.emplace(limit);
    try {
      addresses = resolve(host, port);
    } catch (const timeout_error& e) {
      if (!scope || !scope->owns(e)) throw;
      throw net_error(ETIMEDOUT, "resolving host '" + std::string(host) + "' timed out after " + millis(limit));
    }
  }
  std::optional<net_error> last;
  for (const endpoint& to : addresses) {
    try {
      return connect_until(to, until, limit);
    } catch (const net_error& e) {
      if (e.error_number() == ETIMEDOUT) throw;  // the whole budget is gone
      last = e;
    }
  }
  throw *last;
}

}  // namespace fibersql::net
