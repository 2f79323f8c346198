#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// A snapshot as Prometheus text exposition (format 0.0.4), with OpenTelemetry's db.client.*
// names where they exist (dots become underscores, units become suffixes).
#include <string>

#include <fibersql/metrics/snapshot.hpp>

namespace fibersql::metrics {

// The Content-Type a /metrics endpoint serves render_prometheus()'s text with.
inline constexpr const char* prometheus_content_type = "text/plain; version=0.0.4; charset=utf-8";

// render_prometheus: every family with its HELP and TYPE lines, one sample per registered
// object, labelled with the name it was registered under (escaped).
std::string render_prometheus(const snapshot& s);

}  // namespace fibersql::metrics
FIBERSQL_PUBLIC_END
