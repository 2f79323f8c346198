#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Several hosts behind one URL (`mysql://u:p@h1:3306,h2:3307/db?hosts=ordered`): a connect
// tries them by the policy until one answers (and, with wsrep_check, is ready).
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fibersql::mysql {

class connection;
struct connect_options;

struct host_address {
  std::string host;  // name or numeric address (IPv6 without brackets)
  unsigned port = 3306;
};

// Which host a connect tries first. The others follow in list order (wrapping around).
enum class host_policy {
  ordered,      // always the first listed: the others are fail-over targets
  random,       // a random host per connect: spreads the load
  round_robin,  // the next host per connect, process-wide: spreads the load evenly
};

// parse_host_list: "h1:3306,[::1]:3307,h3" -> hosts (default port 3306).
// Throws: interface_error naming the entry that is empty or has a bad port.
std::vector<host_address> parse_host_list(std::string_view list);
// parse_host_policy: "ordered" | "random" | "round_robin".
// Throws: interface_error naming the value and the accepted ones.
host_policy parse_host_policy(std::string_view text);

namespace detail {
// open_any_host: connects to options.hosts by options.hosts_policy, each attempt bounded by
// connect_timeout, moving on after an operational_error (refused, timed out, not ready).
// Throws: operational_error listing every host and why it failed (no password in it);
// interface_error at once for misuse (it would fail on every host alike).
std::unique_ptr<connection> open_any_host(const connect_options& options);
}  // namespace detail

}  // namespace fibersql::mysql
FIBERSQL_PUBLIC_END
