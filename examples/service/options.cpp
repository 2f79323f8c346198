#include "options.hpp"

#include <charconv>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string_view>

namespace tweepee::service {

namespace {

constexpr const char* usage =
    "usage: tweepee-service [--url URL] [--listen ADDR:PORT] [--max-open N] [--max-connections N]\n"
    "                       [--no-job] [--job-period-ms N] [--drain-ms N]\n"
    "  --url URL            sqlite::memory: (default), sqlite:///path.db or mysql://user:pass@host:port/db\n"
    "  --listen ADDR:PORT   numeric address and port (default 127.0.0.1:8080; port 0 picks one)\n"
    "  --max-open N         pooled database connections (default 32; SQLite uses 1)\n"
    "  --max-connections N  HTTP connections served at once (default 4096)\n"
    "  --no-job             do not run the background follower-count job\n"
    "  --job-period-ms N    the job's period (default 1000)\n"
    "  --drain-ms N         how long shutdown waits for in-flight requests (default 5000)\n";

[[noreturn]] void fail(const std::string& why) {
  std::cerr << "tweepee-service: " << why << "\n" << usage;
  std::exit(2);
}

std::size_t number(std::string_view flag, std::string_view text, std::size_t min) {
  std::size_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end != text.data() + text.size() || n < min)
    fail("option " + std::string(flag) + " needs a number >= " + std::to_string(min) + ", got '" + std::string(text) +
         "'");
  return n;
}

fibersql::net::endpoint address(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) fail("--listen needs ADDR:PORT, got '" + std::string(text) + "'");
  const std::size_t port = number("--listen", text.substr(colon + 1), 0);
  if (port > 65535) fail("--listen port must be 0..65535, got " + std::to_string(port));
  std::string_view host = text.substr(0, colon);
  if (host.starts_with('[') && host.ends_with(']')) host = host.substr(1, host.size() - 2);
  try {
    return fibersql::net::endpoint::ip(host, static_cast<std::uint16_t>(port));
  } catch (const std::invalid_argument& e) {
    fail(std::string("--listen: ") + e.what());
  }
}

}  // namespace

service_options parse_options(int argc, char** argv) {
  service_options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::cout << usage;
      std::exit(0);
    }
    if (flag == "--no-job") {
      o.job = false;
      continue;
    }
    if (i + 1 >= argc) fail("option " + std::string(flag) + " needs a value (or is unknown)");
    const std::string_view arg = argv[++i];
    if (flag == "--url")
      o.url = arg;
    else if (flag == "--listen")
      o.listen = address(arg);
    else if (flag == "--max-open")
      o.max_open = number(flag, arg, 1);
    else if (flag == "--max-connections")
      o.max_connections = number(flag, arg, 1);
    else if (flag == "--job-period-ms")
      o.job_period = std::chrono::milliseconds(number(flag, arg, 1));
    else if (flag == "--drain-ms")
      o.drain = std::chrono::milliseconds(number(flag, arg, 0));
    else
      fail("unknown option '" + std::string(flag) + "'");
  }
  return o;
}

}  // namespace tweepee::service
