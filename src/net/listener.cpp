#include <fibersql/net/listener.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include <fibersql/net/errors.hpp>
#include <fibersql/runtime/io_wait.hpp>

namespace fibersql::net {
namespace {

void set_flag(int fd, int option, const endpoint& where, const char* name) {
  const int on = 1;
  if (::setsockopt(fd, SOL_SOCKET, option, &on, sizeof on) != 0) {
    const int e = errno;
    throw net_error(e, std::string("listen on ") + where.to_string() + ": setting " + name + " failed");
  }
}

}  // namespace

listener listener::listen(const endpoint& where, listen_options options) {
  unique_fd fd(::socket(where.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) {
    const int e = errno;
    throw net_error(e, "listen on " + where.to_string() + ": socket() failed");
  }
  if (!where.is_unix()) {
    if (options.reuse_address) set_flag(fd.get(), SO_REUSEADDR, where, "SO_REUSEADDR");
    if (options.reuse_port) set_flag(fd.get(), SO_REUSEPORT, where, "SO_REUSEPORT");
  }
  if (::bind(fd.get(), where.data(), where.size()) != 0) {
    const int e = errno;
    throw net_error(e, "bind to " + where.to_string() + " failed");
  }
  if (::listen(fd.get(), options.backlog) != 0) {
    const int e = errno;
    if (where.is_unix()) ::unlink(where.address().c_str());
    throw net_error(e, "listen on " + where.to_string() + " failed");
  }
  listener l;
  if (where.is_unix()) {
    l.local_ = where;
  } else {
    sockaddr_storage s{};
    socklen_t len = sizeof s;
    ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&s), &len);
    l.local_ = endpoint::from_sockaddr(reinterpret_cast<sockaddr*>(&s), len);
  }
  l.fd_ = std::move(fd);
  return l;
}

listener::listener(listener&& o) noexcept : fd_(std::move(o.fd_)), local_(o.local_) {}

listener& listener::operator=(listener&& o) noexcept {
  if (this != &o) {
    close();
    fd_ = std::move(o.fd_);
    local_ = o.local_;
  }
  return *this;
}

listener::~listener() {
  close();
}

void listener::close() noexcept {
  if (!fd_) return;
  fd_.reset();
  if (local_.is_unix()) ::unlink(local_.address().c_str());  // the path is ours: we bound it
}

socket listener::accept(deadline until) {
  if (!fd_) throw net_error(EBADF, "accept on " + local_.to_string() + ": the listener is closed");
  for (;;) {
    sockaddr_storage peer{};
    socklen_t len = sizeof peer;
    const int fd = ::accept4(fd_.get(), reinterpret_cast<sockaddr*>(&peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) return socket(unique_fd(fd), endpoint::from_sockaddr(reinterpret_cast<sockaddr*>(&peer), len));
    // A connection reset before we took it is no error of the listener's: take the next.
    if (errno == EINTR || errno == ECONNABORTED) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      const int e = errno;
      throw net_error(e, "accept on " + local_.to_string() + " failed");
    }
    if (!wait_readable(fd_.get(), until)) throw net_error(ETIMEDOUT, "accept on " + local_.to_string() + " timed out");
  }
}

}  // namespace fibersql::net
