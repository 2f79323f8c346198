#include "http_client.hpp"

#include <array>
#include <cerrno>
#include <sstream>

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <fibersql/net/connect.hpp>
#include <fibersql/net/errors.hpp>

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
  std::array<char, 16 * 1024> chunk{};
  for (;;) {
    if (!pending_.empty()) {
      boost::system::error_code ec;
      const std::size_t used = parser.put(boost::asio::buffer(pending_.data(), pending_.size()), ec);
      pending_.erase(0, used);
      if (ec && ec != http::error::need_more) throw std::runtime_error("bad HTTP response: " + ec.message());
      if (parser.is_done()) break;
      if (used > 0 && !pending_.empty()) continue;
    }
    const std::size_t n = socket_.read_some(chunk, until);
    if (n == 0) {
      if (pending_.empty() && !parser.got_some())
        throw fibersql::net::net_error(ENODATA, "the server closed the connection before responding");
      throw truncated_response("the server closed the connection inside a response");
    }
    pending_.append(chunk.data(), n);
  }
  auto res = parser.release();
  return {res.result_int(), std::move(res.body()), std::string(res[http::field::content_type]), res.keep_alive()};
}

}  // namespace tweepee::service
