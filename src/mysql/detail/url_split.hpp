#pragma once
// The one split of a database URL into its parts. parse_url reads its parts from here
// and redact_url hides what it calls the password, so the two can never disagree about
// where the secret is.
#include <string_view>

namespace fibersql::mysql::detail {

struct url_split {
  std::string_view scheme;     // "mysql" for "mysql://..."
  std::string_view user;       // raw (still percent-encoded), before the userinfo's first ':'
  std::string_view password;   // raw, after that ':' up to the authority's last '@'
  bool has_password = false;   // the userinfo has a ':'
  std::string_view host_port;  // after the last '@' up to the first '/' or '?'
  std::string_view database;   // raw, after the first '/' up to the first '?'
  bool has_database = false;
  std::string_view query;    // raw, after the first '?'
  std::size_t after_at = 0;  // offset in the URL of the first character after the last '@'
  // Null when the split succeeded; otherwise why not, in words that never quote the URL.
  const char* problem = nullptr;
};

// split_url: scheme "://" userinfo "@" host[:port] ["/" database] ["?" query]. The authority
// ends at the first '/' or '?', and the userinfo at the authority's last '@' (so a password
// may hold a raw '@', but '/' and '?' must be written %2F and %3F).
url_split split_url(std::string_view url);

}  // namespace fibersql::mysql::detail
