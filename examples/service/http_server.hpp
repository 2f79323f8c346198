#pragma once
// The HTTP/1.1 server: net::stream_server's fiber per connection (keep-alive: a connection's
// requests run one after another in its fiber), each request on a pooled connection borrowed
// for that request only (db.connection_scope), and a graceful stop.
#include <cstddef>
#include <cstdint>
#include <unordered_set>

#include <fibersql/db/database.hpp>
#include <fibersql/net/listener.hpp>
#include <fibersql/net/stream_server.hpp>

#include "routes.hpp"

namespace tweepee::service {

struct http_server_options {
  std::size_t max_connections = 4096;                                 // handler fibers at once
  fibersql::clock::duration idle_timeout = std::chrono::seconds(60);  // keep-alive wait for a request
  fibersql::clock::duration io_timeout = std::chrono::seconds(10);    // reading a started request, writing
};

class http_server {
 public:
  http_server(fibersql::net::listener where, fibersql::db::database& db, routes& api, http_server_options options = {});
  void start() { server_.start(); }
  // stop: stops accepting; connections idle between requests are closed at once, requests in
  // flight get up to `drain` to finish (their responses say Connection: close), then the rest
  // are killed. Returns how many were killed.
  std::size_t stop(fibersql::clock::duration drain);
  const fibersql::net::endpoint& local_endpoint() const noexcept { return server_.local_endpoint(); }
  fibersql::net::server_stats stats() const noexcept { return server_.stats(); }

 private:
  void serve(fibersql::net::socket& s);

  fibersql::db::database& db_;
  routes& api_;
  http_server_options options_;
  std::unordered_set<fibersql::net::socket*> idle_;  // connections waiting for their next request
  bool stopping_ = false;
  fibersql::net::stream_server server_;  // last: its handlers use the members above
};

}  // namespace tweepee::service
