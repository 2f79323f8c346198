#include "http_client.hpp"

#include <cerrno>
#include <sstream>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <fibersql/net/connect.hpp>
#include <fibersql/net/errors.hpp>

#include "http_feed.hpp"

namespace tweepee::service {

namespace http = boost::beast::http;

http_client::http_client(const fibersql::net::endpoint& to, fibersql::clock::duration limit)
    : socket_(fibersql::net::connect(to, limit)) {
  socket_.set_no_delay();
}

reply http_client::send(http::verb method, std::string_view target, std::string_view body, fibersql::deadline until) {
  http::request<http::string_body> req{method, target, 11};
  req.set(http::field::host, "tweepee");
  if (!body.empty()) req.set(http::field::content_type, "application/json");
  req.body() = std::string(body);
  req.prepare_payload();
  std::ostringstream out;
  out << req;
  socket_.write_all(out.str(), until);

  http::response_parser<http::string_body> parser;
  parser.eager(true);
  boost::system::error_code error;
  switch (feed_parser(parser, socket_, pending_, until, error)) {
    case feed_end::done:
      break;
    case feed_end::closed_before_start:
      throw fibersql::net::net_error(ENODATA, "the server closed the connection before responding");
    case feed_end::closed_inside:
      throw truncated_response("the server closed the connection inside a response");
    case feed_end::malformed:
      throw std::runtime_error("bad HTTP response: " + error.message());
  }
  auto res = parser.release();
  return {res.result_int(), std::move(res.body()), std::string(res[http::field::content_type]), res.keep_alive()};
}

}  // namespace tweepee::service
