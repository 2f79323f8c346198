#pragma once
// HTTP/1.1 over a fibersql::net::socket: Boost.Beast's request parser fed with bytes the
// socket read (Beast's own asio streams are not used: every wait is a fiber wait), and
// Beast's serializer for responses.
#include <optional>
#include <stdexcept>
#include <string>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <fibersql/net/socket.hpp>
#include <fibersql/runtime/clock.hpp>

namespace tweepee::service {

using request = boost::beast::http::request<boost::beast::http::string_body>;
using response = boost::beast::http::response<boost::beast::http::string_body>;

// A request the parser refused (malformed, header or body over the limits): answer 400 and
// close, since the stream's framing is lost.
class bad_request : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// request_reader: the bytes of one connection; what a read returned beyond one request stays
// for the next (pipelined requests).
class request_reader {
 public:
  explicit request_reader(fibersql::net::socket& s) : socket_(s) {}
  // read: the next request, or nothing when the peer closed the connection before sending a
  // byte of one. `until` bounds the wait for the whole request.
  // Throws: bad_request; net_error (ECONNRESET, ETIMEDOUT at `until`, end of stream inside a
  // request: ENODATA), fiber_exit.
  std::optional<request> read(fibersql::deadline until);
  // buffered: bytes already received for a next request.
  bool buffered() const noexcept { return !pending_.empty(); }

 private:
  fibersql::net::socket& socket_;
  std::string pending_;
};

// write_response: serialises `r` (Content-Length set from the body) and sends it.
// Throws: net_error, fiber_exit.
void write_response(fibersql::net::socket& s, response& r, fibersql::deadline until);

}  // namespace tweepee::service
