// tweepee-service: the peewee-style example application as an HTTP/1.1 JSON API (routes.hpp
// lists the endpoints). The embedded SQLite default (sqlite::memory:) without --url, or a
// database URL (mysql://user:pass@host:port/db) through the connection pool.
//
// Shutdown on SIGTERM or SIGINT: /healthz turns 503, the server stops accepting, idle
// keep-alive connections close, in-flight requests get --drain seconds to finish, the
// background job stops, the pool closes, run() returns and the process exits 0.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include <fibersql/metrics/registry.hpp>
#include <fibersql/metrics/statement_metrics.hpp>
#include <fibersql/net/listener.hpp>
#include <fibersql/pool/pooled_database.hpp>
#include <fibersql/runtime/runtime.hpp>
#include <fibersql/runtime/signal_set.hpp>

#include "follower_job.hpp"
#include "http_server.hpp"
#include "options.hpp"
#include "queries.hpp"
#include "routes.hpp"

namespace {

using namespace tweepee::service;

fibersql::pool::pool_options pool_for(const service_options& o) {
  fibersql::pool::pool_options p{.max_open = o.max_open, .name = "tweepee"};
  if (o.url.starts_with("sqlite")) {
    // One SQLite connection shared by every request in turn (each borrows it per request):
    // sqlite::memory: is one database per connection, and one writer is SQLite's model anyway.
    p.max_open = 1;
    p.max_idle_time = fibersql::clock::duration::zero();  // never retire it: it is the database
    p.max_lifetime = fibersql::clock::duration::zero();
  }
  return p;
}

void serve(const service_options& o) {
  fibersql::signal_set signals{SIGTERM, SIGINT};  // caught from here on, before we announce the port
  fibersql::metrics::registry metrics;
  fibersql::metrics::statement_metrics statements;
  auto db = fibersql::pool::make_database(o.url, pool_for(o), {.on_statement = statements.hook()});
  fibersql::pool::connection_pool& pool = *fibersql::pool::pool_of(db);
  const auto pool_metrics = metrics.add("tweepee", pool);
  const auto db_metrics = metrics.add("tweepee", db);
  const auto hub_metrics = metrics.add("main", fibersql::hub::current());
  const auto statement_metrics = metrics.add("tweepee", statements);
  {
    auto borrowed = db.connection_scope();  // the main fiber gives its connection back
    tweepee::create_schema(db);
  }

  routes api(db, metrics);
  http_server server(fibersql::net::listener::listen(o.listen), db, api, {.max_connections = o.max_connections});
  follower_job job(db, o.job_period);
  server.start();
  if (o.job) job.start();
  std::cout << "listening on " << server.local_endpoint().to_string() << std::endl;  // the tests read this line

  const int signum = signals.wait();
  api.shutting_down();
  const std::size_t killed = server.stop(o.drain);
  job.stop();
  pool.close();
  const auto s = server.stats();
  std::cout << "stopped by signal " << signum << ": " << s.accepted << " connections served, " << killed
            << " killed at the drain deadline, " << job.runs() << " job runs" << std::endl;
}

}  // namespace

int main(int argc, char** argv) {
  const service_options o = parse_options(argc, argv);
  try {
    fibersql::run([&] { serve(o); });
  } catch (const std::exception& e) {
    std::cerr << "tweepee-service: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
