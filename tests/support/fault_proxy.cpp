#include "support/fault_proxy.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <fibersql/runtime/io_wait.hpp>
#include <fibersql/runtime/this_fiber.hpp>

namespace fibersql::testing {
namespace {

int must(int rc, const char* what) {
  if (rc < 0) throw std::runtime_error(std::string("fault_proxy: ") + what + " failed: " + std::strerror(errno));
  return rc;
}

// One proxied connection. Descriptors close when both pump fibers have let go, never while
// one of them may still be parked on it.
struct link {
  int client = -1;
  int server = -1;
  std::size_t forwarded = 0;           // bytes, both directions
  std::shared_ptr<std::size_t> total;  // the proxy's running total
  ~link() {
    if (client >= 0) ::close(client);
    if (server >= 0) ::close(server);
  }
  void cut() const {
    ::shutdown(client, SHUT_RDWR);
    ::shutdown(server, SHUT_RDWR);
  }
};

bool write_all(int fd, const char* data, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::send(fd, data, n, MSG_NOSIGNAL);
    if (w > 0) {
      data += w;
      n -= static_cast<std::size_t>(w);
    } else if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
      wait_writable(fd);
    } else {
      return false;
    }
  }
  return true;
}

void pump(const std::shared_ptr<link>& l, int from, int to, fault_settings settings) {
  char buf[16384];
  for (;;) {
    const ssize_t r = ::recv(from, buf, sizeof buf, 0);
    if (r < 0 && (errno == EAGAIN || errno == EINTR)) {
      wait_readable(from);
      continue;
    }
    if (r <= 0) break;
    std::size_t n = static_cast<std::size_t>(r);
    if (settings.mode == fault::delay) this_fiber::sleep_for(settings.delay);
    bool cut_now = false;
    if (settings.mode == fault::cut && l->forwarded + n >= settings.cut_after) {
      n = settings.cut_after - l->forwarded;
      cut_now = true;
    }
    if (n > 0 && !write_all(to, buf, n)) break;
    l->forwarded += n;
    *l->total += n;
    if (cut_now) break;
  }
  l->cut();  // one direction ended: end the other too, like a dropped connection
}

int connect_to(const std::string& host, unsigned port) {
  const int fd = must(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), "socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0 && errno != EINPROGRESS) {
    ::close(fd);
    return -1;
  }
  wait_writable(fd);
  int err = 0;
  socklen_t len = sizeof err;
  getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
  if (err != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

struct fault_proxy::state {
  std::vector<fiber> fibers;  // pumps and blackholes, killed by stop()
  std::vector<std::weak_ptr<link>> links;
  std::shared_ptr<std::size_t> total = std::make_shared<std::size_t>(0);
};

fault_proxy::fault_proxy(std::string target_host, unsigned target_port)
    : target_host_(std::move(target_host)), target_port_(target_port), state_(std::make_shared<state>()) {
  listen_fd_ = must(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), "socket");
  const int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  must(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), "bind");
  must(::listen(listen_fd_, 128), "listen");
  socklen_t len = sizeof addr;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = spawn([this] { accept_loop(); }, {.name = "fault-proxy-accept"});
}

fault_proxy::~fault_proxy() {
  try {
    stop();
  } catch (...) {
  }
}

void fault_proxy::accept_loop() {
  for (;;) {
    wait_readable(listen_fd_);
    const int client = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (client < 0) continue;
    const fault_settings settings = settings_;
    if (settings.mode == fault::reset) {
      const linger hard{1, 0};  // close with RST
      setsockopt(client, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
      ::close(client);
      continue;
    }
    auto l = std::make_shared<link>();
    l->client = client;
    l->total = state_->total;
    state_->links.push_back(l);
    if (settings.mode == fault::blackhole) {
      // Hold the socket open and silent until stop(); nothing is read or answered.
      state_->fibers.push_back(
          spawn([l] { this_fiber::sleep_for(std::chrono::hours(1)); }, {.name = "fault-proxy-blackhole"}));
      continue;
    }
    state_->fibers.push_back(spawn(
        [this, l, settings] {
          l->server = connect_to(target_host_, target_port_);
          if (l->server < 0) return;
          fiber back = spawn([l, settings] { pump(l, l->server, l->client, settings); }, {.name = "fault-proxy-down"});
          state_->fibers.push_back(back);
          pump(l, l->client, l->server, settings);
          back.join();
        },
        {.name = "fault-proxy-up"}));
  }
}

void fault_proxy::stop() {
  if (acceptor_) {
    acceptor_.kill();
    acceptor_.join();
    acceptor_ = fiber();
  }
  // Kill and join repeatedly: a pump may spawn its partner while we are killing.
  while (!state_->fibers.empty()) {
    std::vector<fiber> fibers;
    fibers.swap(state_->fibers);
    for (const fiber& f : fibers) f.kill();
    for (const fiber& f : fibers) {
      try {
        f.join();
      } catch (...) {
      }
    }
  }
  if (listen_fd_ >= 0) ::close(listen_fd_);
  listen_fd_ = -1;
}

std::size_t fault_proxy::open_links() const noexcept {
  std::size_t n = 0;
  for (const auto& w : state_->links) n += w.expired() ? 0 : 1;
  return n;
}

}  // namespace fibersql::testing

namespace fibersql::testing {
std::size_t fault_proxy::bytes_forwarded() const noexcept {
  return *state_->total;
}
}  // namespace fibersql::testing
