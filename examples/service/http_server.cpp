#include "http_server.hpp"

#include <cerrno>
#include <optional>
#include <utility>

#include <fibersql/net/errors.hpp>

namespace tweepee::service {

namespace http = boost::beast::http;

namespace {
// idle_mark: the connection is in `set` while its fiber waits for the next request.
class idle_mark {
 public:
  idle_mark(std::unordered_set<fibersql::net::socket*>& set, fibersql::net::socket& s) : set_(set), s_(&s) {
    set_.insert(s_);
  }
  ~idle_mark() { set_.erase(s_); }
  idle_mark(const idle_mark&) = delete;
  idle_mark& operator=(const idle_mark&) = delete;

 private:
  std::unordered_set<fibersql::net::socket*>& set_;
  fibersql::net::socket* s_;
};
}  // namespace

http_server::http_server(fibersql::net::listener where, fibersql::db::database& db, routes& api,
                         http_server_options options)
    : db_(db),
      api_(api),
      options_(options),
      server_(std::move(where), [this](fibersql::net::socket& s) { serve(s); },
              {.max_connections = options.max_connections, .name = "http"}) {}

void http_server::serve(fibersql::net::socket& s) {
  s.set_no_delay();
  request_reader reader(s);
  while (!stopping_) {
    std::optional<request> r;
    std::optional<response> refusal;
    try {
      // Idle only until the first byte: a request already buffered is in flight.
      const bool idle = !reader.buffered();
      std::optional<idle_mark> mark;
      if (idle) mark.emplace(idle_, s);
      r = reader.read(fibersql::deadline_after(idle ? options_.idle_timeout : options_.io_timeout));
    } catch (const bad_request& e) {
      refusal = error_response(http::status::bad_request, e.what());  // sent below: no wait in a catch
    }
    if (refusal) {
      write_response(s, *refusal, fibersql::deadline_after(options_.io_timeout));
      return;  // the stream's framing is lost
    }
    if (!r) return;  // the peer closed between requests
    response out = [&] {
      auto borrowed = db_.connection_scope();  // the pooled connection for this request only
      return api_.handle(*r);
    }();
    if (stopping_) out.keep_alive(false);  // draining: finish this one, then close
    write_response(s, out, fibersql::deadline_after(options_.io_timeout));
    if (!out.keep_alive()) return;
  }
}

std::size_t http_server::stop(fibersql::clock::duration drain) {
  stopping_ = true;
  // A connection waiting for a request has none in flight: end its read (it returns 0) so its
  // fiber finishes now rather than at the drain deadline.
  for (fibersql::net::socket* s : std::exchange(idle_, {})) {
    try {
      s->shutdown(fibersql::net::shutdown_type::read);
    } catch (const fibersql::net::net_error& e) {
      if (e.error_number() != ENOTCONN) throw;  // ENOTCONN: the peer is gone already; nothing to end
    }
  }
  return server_.stop(drain);
}

}  // namespace tweepee::service
