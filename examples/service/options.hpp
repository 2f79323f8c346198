#pragma once
// The service's command line.
#include <cstddef>
#include <string>

#include <fibersql/net/endpoint.hpp>
#include <fibersql/runtime/clock.hpp>

namespace tweepee::service {

struct service_options {
  std::string url = "sqlite::memory:";
  fibersql::net::endpoint listen = fibersql::net::endpoint::ip("127.0.0.1", 8080);
  std::size_t max_open = 32;  // pooled MariaDB connections
  std::size_t max_connections = 4096;
  bool job = true;
  fibersql::clock::duration job_period = std::chrono::seconds(1);
  fibersql::clock::duration drain = std::chrono::seconds(5);
};

// parse_options: the options, or exits: 0 after --help, 2 with a message naming a bad value.
service_options parse_options(int argc, char** argv);

}  // namespace tweepee::service
