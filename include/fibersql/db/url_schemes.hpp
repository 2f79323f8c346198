#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// The registry of URL schemes (Go's sql.Register): database("mysql://...") finds its backend
// here by the URL's prefix. The backends built with the library are in it before the first
// lookup (each backend's CMakeLists.txt adds itself with one fibersql_add_url_backend() line;
// see docs/architecture.md, "How to add a backend"); a program may register more.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fibersql/sql/url_scheme.hpp>

namespace fibersql::db {

// register_url_scheme: URLs starting with `scheme.prefix` open through `scheme.make`.
// Throws: std::invalid_argument for an empty prefix, a missing `make`, or a prefix already
// registered. Fiber-safety: any thread.
void register_url_scheme(url_scheme scheme);

// registered_url_prefixes: every registered prefix, sorted.
std::vector<std::string> registered_url_prefixes();

// make_url_opener: the opener of the backend whose prefix `url` starts with (the longest
// one if several match). Throws: interface_error naming the registered prefixes if none
// matches (showing the URL only up to its first ':', which holds no secret); whatever the
// backend's `make` throws.
std::unique_ptr<url_opener> make_url_opener(std::string_view url);

}  // namespace fibersql::db
FIBERSQL_PUBLIC_END
