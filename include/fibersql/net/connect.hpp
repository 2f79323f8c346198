#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Opening connections: to an endpoint, or to a host name resolved off the hub.
#include <cstdint>
#include <string_view>
#include <vector>

#include <fibersql/net/endpoint.hpp>
#include <fibersql/net/socket.hpp>
#include <fibersql/runtime/clock.hpp>

namespace fibersql::net {

// resolve: the addresses of `host` (a name or a numeric address) for TCP port `port`, IPv4
// first. getaddrinfo runs on the shared worker pool (offload), never on the hub.
// Throws: resolve_error naming the host, fiber_exit, timeout_error (scope).
std::vector<endpoint> resolve(std::string_view host, std::uint16_t port);

// connect: connects to `to` within `limit`.
// Throws: net_error naming the endpoint (ECONNREFUSED, ETIMEDOUT after `limit`...),
// fiber_exit, timeout_error (scope).
socket connect(const endpoint& to, clock::duration limit = clock::duration::max());
// connect: resolves `host` and tries its addresses in order until one answers; `limit`
// bounds the whole (resolution included).
// Throws: resolve_error, net_error (the last address's failure), fiber_exit, timeout_error.
socket connect(std::string_view host, std::uint16_t port, clock::duration limit = clock::duration::max());

}  // namespace fibersql::net
FIBERSQL_PUBLIC_END
