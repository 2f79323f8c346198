#include "http_io.hpp"

#include <cerrno>
#include <sstream>

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/write.hpp>

#include <fibersql/net/errors.hpp>

#include "http_feed.hpp"

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
  boost::system::error_code error;
  switch (feed_parser(parser, socket_, pending_, until, error)) {
    case feed_end::done:
      return parser.release();
    case feed_end::closed_before_start:
      return std::nullopt;  // closed between requests
    case feed_end::closed_inside:
      throw fibersql::net::net_error(ENODATA, "connection closed inside an HTTP request");
    case feed_end::malformed:
      break;
  }
  throw bad_request("bad HTTP request: " + error.message());
}

void write_response(fibersql::net::socket& s, response& r, fibersql::deadline until) {
  r.prepare_payload();
  std::ostringstream out;
  out << r;
  s.write_all(out.str(), until);
}

}  // namespace tweepee::service
