#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// A socket address: IPv4, IPv6 or a unix-domain path. A value type.
#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace fibersql::net {

class endpoint {
 public:
  endpoint() = default;
  // ip: a numeric IPv4 or IPv6 address and a port ("127.0.0.1", "::1").
  // Throws: std::invalid_argument naming the address (host names go through resolve()).
  static endpoint ip(std::string_view address, std::uint16_t port);
  // unix_path: a unix-domain socket path. Throws: std::invalid_argument if too long or empty.
  static endpoint unix_path(std::string_view path);
  // from_sockaddr: copies what accept/getsockname returned.
  static endpoint from_sockaddr(const sockaddr* addr, socklen_t size);

  int family() const noexcept { return storage_.ss_family; }
  bool is_unix() const noexcept { return family() == AF_UNIX; }
  std::uint16_t port() const noexcept;  // 0 for unix paths
  std::string address() const;          // numeric address or the path
  std::string to_string() const;        // "127.0.0.1:80", "[::1]:80", "unix:/run/x.sock"
  const sockaddr* data() const noexcept { return reinterpret_cast<const sockaddr*>(&storage_); }
  socklen_t size() const noexcept { return size_; }

 private:
  sockaddr_storage storage_{};
  socklen_t size_ = 0;
};

}  // namespace fibersql::net
FIBERSQL_PUBLIC_END
