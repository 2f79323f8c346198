// Multi-host URLs: the host list, the policy, and a connect that fails over between hosts.
#include <fibersql/mysql/multi_host.hpp>

#include <atomic>
#include <charconv>
#include <functional>
#include <random>

#include <fibersql/mysql/connection.hpp>
#include <fibersql/mysql/options.hpp>
#include <fibersql/sql/errors.hpp>

#include "detail/host_health.hpp"

namespace fibersql::mysql {
namespace {

[[noreturn]] void bad_hosts(std::string_view list, const std::string& why) {
  // The list comes from after the '@': it holds no password.
  throw interface_error(0, "HY000", "bad MySQL host list '" + std::string(list) + "': " + why);
}

host_address parse_entry(std::string_view list, std::string_view entry) {
  if (entry.empty()) bad_hosts(list, "empty host entry");
  host_address h;
  std::string_view port;
  if (entry.front() == '[') {  // [IPv6]:port
    const auto close = entry.find(']');
    if (close == std::string_view::npos) bad_hosts(list, "unclosed '[' in '" + std::string(entry) + "'");
    h.host = std::string(entry.substr(1, close - 1));
    const std::string_view rest = entry.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') bad_hosts(list, "junk after ']' in '" + std::string(entry) + "'");
    if (!rest.empty()) port = rest.substr(1);
  } else if (const auto colon = entry.rfind(':'); colon != std::string_view::npos) {
    h.host = std::string(entry.substr(0, colon));
    port = entry.substr(colon + 1);
    if (port.empty()) bad_hosts(list, "no port after ':' in '" + std::string(entry) + "'");
  } else {
    h.host = std::string(entry);
  }
  if (h.host.empty()) bad_hosts(list, "no host name in '" + std::string(entry) + "'");
  if (!port.empty()) {
    unsigned n = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), n);
    if (ec != std::errc{} || end != port.data() + port.size() || n == 0 || n > 65535) {
      bad_hosts(list, "port must be 1-65535, got '" + std::string(port) + "'");
    }
    h.port = n;
  }
  return h;
}

std::size_t first_index(host_policy policy, std::size_t n) {
  switch (policy) {
    case host_policy::ordered:
      return 0;
    case host_policy::random: {
      thread_local std::minstd_rand random{std::random_device{}()};
      return std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
    }
    case host_policy::round_robin: {
      static std::atomic<std::size_t> next{0};  // process-wide: fibers of every thread share it
      return next.fetch_add(1, std::memory_order_relaxed) % n;
    }
  }
  return 0;
}

connect_options single_host(const connect_options& options, const host_address& h) {
  connect_options one = options;
  one.hosts.clear();
  one.host = h.host;
  one.port = h.port;
  return one;
}

// The background probe of a down host: the same connect (and wsrep_check) a caller would make.
std::function<void()> prober(connect_options one) {
  return [one = std::move(one)] { (void)connection::open(one); };
}

}  // namespace

std::vector<host_address> parse_host_list(std::string_view list) {
  std::vector<host_address> hosts;
  std::size_t i = 0;
  while (true) {
    const auto comma = list.find(',', i);
    hosts.push_back(parse_entry(list, list.substr(i, comma == std::string_view::npos ? comma : comma - i)));
    if (comma == std::string_view::npos) break;
    i = comma + 1;
  }
  return hosts;
}

host_policy parse_host_policy(std::string_view text) {
  if (text == "ordered") return host_policy::ordered;
  if (text == "random") return host_policy::random;
  if (text == "round_robin") return host_policy::round_robin;
  throw interface_error(
      0, "HY000", "bad MySQL URL option hosts='" + std::string(text) + "': expected ordered, random or round_robin");
}

namespace detail {

std::unique_ptr<connection> open_any_host(const connect_options& options) {
  const std::size_t n = options.hosts.size();
  const std::size_t first = first_index(options.hosts_policy, n);
  std::string failures;
  unsigned last_code = 0;
  std::vector<std::size_t> skipped;  // down hosts: tried last, only if no other host answers
  auto attempt = [&](std::size_t i) -> std::unique_ptr<connection> {
    const host_address& h = options.hosts[i];
    const connect_options one = single_host(options, h);
    try {
      auto c = connection::open(one);
      host_succeeded(h.host, h.port);
      return c;
    } catch (const operational_error& e) {
      // Refused, timed out, not ready: the next host may answer. Messages carry no password.
      host_failed(h.host, h.port, options.host_backoff, options.host_backoff_max, prober(one));
      last_code = e.code();
      failures += (failures.empty() ? "" : "; ") + h.host + ":" + std::to_string(h.port) + ": " + e.what();
      return nullptr;
    }
  };
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = (first + k) % n;
    const host_address& h = options.hosts[i];
    if (!host_usable(h.host, h.port, options.host_backoff, options.host_backoff_max, prober(single_host(options, h)))) {
      skipped.push_back(i);
      continue;
    }
    if (auto c = attempt(i)) return c;
  }
  // Every host that is up failed (or all are down): a down host beats no connection at all.
  for (std::size_t i : skipped)
    if (auto c = attempt(i)) return c;
  throw operational_error(last_code, "08001", "no MySQL host of " + std::to_string(n) + " answered: " + failures);
}

}  // namespace detail
}  // namespace fibersql::mysql
