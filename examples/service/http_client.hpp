#pragma once
// A keep-alive HTTP/1.1 client on a fibersql::net socket, the other side of http_io: Beast
// serialises the request and parses the response. Used by the service's end-to-end test and
// bench/service_load (fibers as HTTP clients).
#include <stdexcept>
#include <string>
#include <string_view>

#include <boost/beast/http/verb.hpp>

#include <fibersql/net/endpoint.hpp>
#include <fibersql/net/socket.hpp>
#include <fibersql/runtime/clock.hpp>

namespace tweepee::service {

// The server closed the connection in the middle of a response (a torn reply, never clean).
class truncated_response : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct reply {
  unsigned status = 0;
  std::string body;
  std::string content_type;
  bool keep_alive = false;  // false: the server closes after this response
};

class http_client {
 public:
  // http_client: connects to `to` within `limit`. Throws: net_error, fiber_exit.
  http_client(const fibersql::net::endpoint& to, fibersql::clock::duration limit);
  // send: one request and its response, by `until`. A body is sent as application/json.
  // Throws: net_error (ENODATA: closed before the first byte of the response; ECONNRESET,
  // EPIPE, ETIMEDOUT), truncated_response, std::runtime_error for a malformed response.
  reply send(boost::beast::http::verb method, std::string_view target, std::string_view body, fibersql::deadline until);

 private:
  fibersql::net::socket socket_;
  std::string pending_;  // bytes received past the last response
};

}  // namespace tweepee::service
