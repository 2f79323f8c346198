#include "http_io.hpp"

#include <array>
#include <cerrno>
#include <sstream>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/write.hpp>

#include <fibersql/net/errors.hpp>

namespace tweepee::service {

namespace http = boost::beast::http;

namespace {
constexpr std::size_t body_limit = 64 * 1024;   // the API's bodies are a few dozen bytes
constexpr std::size_t header_limit = 8 * 1024;  // Beast's default, stated
}  // namespace

std::optional<request> request_reader::read(fibersql::deadline until) {
  http::request_parser<http::string_body> parser;
  parser.body_limit(body_limit);
  parser.header_limit(header_limit);
  parser.eager(true);
  std::array<char, 16 * 1024> chunk{};
  for (;;) {
    if (!pending_.empty()) {
      boost::system::error_code ec;
      const std::size_t used = parser.put(boost::asio::buffer(pending_.data(), pending_.size()), ec);
      pending_.erase(0, used);
      if (ec && ec != http::error::need_more) throw bad_request("bad HTTP request: " + ec.message());
      if (parser.is_done()) return parser.release();
      if (used > 0 && !pending_.empty()) continue;  // the parser takes the rest in the next call
    }
    const std::size_t n = socket_.read_some(chunk, until);
    if (n == 0) {
      if (pending_.empty() && !parser.got_some()) return std::nullopt;  // closed between requests
      throw fibersql::net::net_error(ENODATA, "connection closed inside an HTTP request");
    }
    pending_.append(chunk.data(), n);
  }
}

void write_response(fibersql::net::socket& s, response& r, fibersql::deadline until) {
  r.prepare_payload();
  std::ostringstream out;
  out << r;
  s.write_all(out.str(), until);
}

}  // namespace tweepee::service
