#pragma once
// feed_parser: one HTTP message from a fibersql::net::socket into a Boost.Beast parser (a
// request parser on the server, a response parser in the client). Bytes read beyond the
// message stay in `pending` for the next one (pipelining).
#include <array>
#include <cstddef>
#include <string>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/system/error_code.hpp>

#include <fibersql/net/socket.hpp>
#include <fibersql/runtime/clock.hpp>

namespace tweepee::service {

enum class feed_end {
  done,                 // the parser holds a whole message
  closed_before_start,  // the peer closed before a byte of this message
  closed_inside,        // the peer closed inside the message
  malformed,            // the parser refused the bytes: `error` says why
};

// Throws: net_error (ECONNRESET, ETIMEDOUT at `until`), fiber_exit.
template <class Parser>
feed_end feed_parser(Parser& parser, fibersql::net::socket& socket, std::string& pending, fibersql::deadline until,
                     boost::system::error_code& error) {
  std::array<char, 16 * 1024> chunk{};
  for (;;) {
    if (!pending.empty()) {
      const std::size_t used = parser.put(boost::asio::buffer(pending.data(), pending.size()), error);
      pending.erase(0, used);
      if (error && error != boost::beast::http::error::need_more) return feed_end::malformed;
      error = {};
      if (parser.is_done()) return feed_end::done;
      if (used > 0 && !pending.empty()) continue;  // the parser takes the rest in the next call
    }
    const std::size_t n = socket.read_some(chunk, until);
    if (n == 0) return pending.empty() && !parser.got_some() ? feed_end::closed_before_start : feed_end::closed_inside;
    pending.append(chunk.data(), n);
  }
}

}  // namespace tweepee::service
