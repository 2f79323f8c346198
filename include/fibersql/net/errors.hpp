#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Socket errors: std::system_error with the errno that caused them (ECONNREFUSED, ECONNRESET,
// ETIMEDOUT for an operation's own deadline...) and a message naming the operation and peer.
// Kills and timeout scopes are not socket errors: they arrive as fiber_exit / timeout_error.
#include <string>
#include <system_error>

namespace fibersql::net {

class net_error : public std::system_error {
 public:
  net_error(int errno_value, const std::string& what) : std::system_error(errno_value, std::generic_category(), what) {}
  int error_number() const noexcept { return code().value(); }
};

// A host name did not resolve. gai_code() is getaddrinfo's EAI_* value; errno is EHOSTUNREACH.
class resolve_error : public net_error {
 public:
  resolve_error(int gai_code, const std::string& what);
  int gai_code() const noexcept { return gai_code_; }

 private:
  int gai_code_;
};

// read() met the end of the stream before the buffer was full; errno is ENODATA.
class end_of_stream : public net_error {
 public:
  explicit end_of_stream(const std::string& what);
};

}  // namespace fibersql::net
FIBERSQL_PUBLIC_END
