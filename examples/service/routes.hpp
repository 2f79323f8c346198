#pragma once
// The JSON API: one request in, one response out, on the calling fiber's database
// connection. Endpoints:
//   POST /users              {"username": "ann"}                 201 new, 200 existing
//   GET  /users/<name>                                           200 {"id","username","followers"}
//   POST /follows            {"from": "ann", "to": "bob"}        200 {"followed": true|false}
//   POST /tweets             {"username": "ann", "content": "hi"} 201 the tweet
//   GET  /timeline/<name>[?limit=N]                              200 {"username","tweets":[...]}
//   GET  /metrics            Prometheus text of the metrics registry
//   GET  /healthz            200 ok (503 once shutting down)
// Errors are JSON {"error": "..."}: 400 bad input, 404 unknown user or path, 405 wrong method,
// 500 a database failure (the message names it; the connection was discarded by the library).
#include <fibersql/db/database.hpp>
#include <fibersql/metrics/registry.hpp>

#include "http_io.hpp"

namespace tweepee::service {

// error_response: {"error": why} with status `s`, Connection: close.
response error_response(boost::beast::http::status s, const std::string& why);

class routes {
 public:
  routes(fibersql::db::database& db, const fibersql::metrics::registry& metrics) : db_(db), metrics_(metrics) {}
  // handle: the response to `r` (never throws for bad input: that is a 4xx response).
  // Throws: fiber_exit, timeout_error (the caller's scopes).
  response handle(const request& r);
  // shutting_down: /healthz answers 503 from now on, so a load balancer stops sending.
  void shutting_down() noexcept { shutting_down_ = true; }

 private:
  response dispatch(const request& r);
  response create_user(const request& r);
  response get_user(const request& r, const std::string& name);
  response create_follow(const request& r);
  response create_tweet(const request& r);
  response get_timeline(const request& r, const std::string& name);
  response get_metrics(const request& r);

  fibersql::db::database& db_;
  const fibersql::metrics::registry& metrics_;
  bool shutting_down_ = false;
};

}  // namespace tweepee::service
