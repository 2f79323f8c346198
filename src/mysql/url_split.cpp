// split_url: see url_split.hpp.
#include "detail/url_split.hpp"

namespace fibersql::mysql::detail {

url_split split_url(std::string_view url) {
  url_split s;
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    s.problem = "expected scheme 'mysql://' or 'mariadb://'";
    return s;
  }
  s.scheme = url.substr(0, scheme_end);
  const std::size_t body_at = scheme_end + 3;
  const std::string_view body = url.substr(body_at);
  const auto query_at = body.find('?');
  const std::string_view before_query = body.substr(0, query_at);
  const auto slash = before_query.find('/');
  const std::string_view authority = before_query.substr(0, slash);
  const auto at = authority.rfind('@');
  if (at == std::string_view::npos) {
    // Either no user at all, or the password holds a '/' or '?' that cut the authority
    // short (or the '@host' was forgotten): in every case the text may be a secret.
    s.problem = body.find('@') != std::string_view::npos
                    ? "'/' or '?' before the last '@' (in a user name or password write them as %2F and %3F)"
                    : "no 'user@' before the host (expected scheme://user:password@host:port/database)";
    return s;
  }
  const std::string_view userinfo = authority.substr(0, at);
  const auto colon = userinfo.find(':');
  s.user = userinfo.substr(0, colon);
  if (s.user.find('@') != std::string_view::npos) {
    s.problem = "'@' in the user name (write it as %40)";
    return s;
  }
  if (colon != std::string_view::npos) {
    s.password = userinfo.substr(colon + 1);
    s.has_password = true;
  }
  s.after_at = body_at + at + 1;
  s.host_port = authority.substr(at + 1);
  if (slash != std::string_view::npos) {
    s.database = before_query.substr(slash + 1);
    s.has_database = true;
  }
  if (query_at != std::string_view::npos) s.query = body.substr(query_at + 1);
  return s;
}

}  // namespace fibersql::mysql::detail
