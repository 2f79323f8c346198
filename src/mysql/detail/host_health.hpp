#pragma once
// The registry behind host_health(), as multi_host.cpp drives it.
#include <functional>
#include <string>

#include <fibersql/mysql/host_health.hpp>

namespace fibersql::mysql::detail {

// host_usable: false if the host is down (counts a skip). A down host without a running probe
// gets one started on the calling thread's hub (`probe` connects once, throws on failure).
bool host_usable(const std::string& host, unsigned port, clock::duration backoff, clock::duration backoff_max,
                 const std::function<void()>& probe);
// host_succeeded / host_failed: the outcome of a normal connect to the host.
void host_succeeded(const std::string& host, unsigned port);
void host_failed(const std::string& host, unsigned port, clock::duration backoff, clock::duration backoff_max,
                 const std::function<void()>& probe);

}  // namespace fibersql::mysql::detail
