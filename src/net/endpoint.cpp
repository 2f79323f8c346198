#include <fibersql/net/endpoint.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <cstring>
#include <stdexcept>

namespace fibersql::net {

endpoint endpoint::ip(std::string_view address, std::uint16_t port) {
  const std::string text(address);
  endpoint e;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&e.storage_);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&e.storage_);
  if (inet_pton(AF_INET, text.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    e.size_ = sizeof(sockaddr_in);
  } else if (inet_pton(AF_INET6, text.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    e.size_ = sizeof(sockaddr_in6);
  } else {
    throw std::invalid_argument("endpoint: '" + text +
                                "' is not a numeric IPv4 or IPv6 address (resolve() host names)");
  }
  return e;
}

endpoint endpoint::unix_path(std::string_view path) {
  endpoint e;
  auto* un = reinterpret_cast<sockaddr_un*>(&e.storage_);
  if (path.empty() || path.size() >= sizeof(un->sun_path)) {
    throw std::invalid_argument("endpoint: unix socket path '" + std::string(path) + "' (expected 1 to " +
                                std::to_string(sizeof(un->sun_path) - 1) + " bytes)");
  }
  un->sun_family = AF_UNIX;
  std::memcpy(un->sun_path, path.data(), path.size());
  e.size_ = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() + 1);
  return e;
}

endpoint endpoint::from_sockaddr(const sockaddr* addr, socklen_t size) {
  endpoint e;
  if (size > sizeof(e.storage_)) size = sizeof(e.storage_);
  std::memcpy(&e.storage_, addr, size);
  e.size_ = size;
  return e;
}

std::uint16_t endpoint::port() const noexcept {
  if (family() == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&storage_)->sin_port);
  if (family() == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_port);
  return 0;
}

std::string endpoint::address() const {
  char text[INET6_ADDRSTRLEN] = {};
  if (family() == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&storage_)->sin_addr, text, sizeof text);
    return text;
  }
  if (family() == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&storage_)->sin6_addr, text, sizeof text);
    return text;
  }
  if (family() == AF_UNIX) {
    const auto* un = reinterpret_cast<const sockaddr_un*>(&storage_);
    const std::size_t max = size_ > offsetof(sockaddr_un, sun_path) ? size_ - offsetof(sockaddr_un, sun_path) : 0;
    return std::string(un->sun_path, strnlen(un->sun_path, max));
  }
  return {};
}

std::string endpoint::to_string() const {
  if (family() == AF_INET) return address() + ":" + std::to_string(port());
  if (family() == AF_INET6) return "[" + address() + "]:" + std::to_string(port());
  if (family() == AF_UNIX) return "unix:" + address();
  return "(no address)";
}

}  // namespace fibersql::net
