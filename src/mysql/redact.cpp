// redact_url: see redact.hpp. Built on split_url, the parser's own split.
#include <fibersql/mysql/redact.hpp>

#include "detail/url_split.hpp"

namespace fibersql::mysql {
namespace {

// Whatever cannot be split: keep the scheme and the text after the last '@' (host, database
// and options, never a password), else only the scheme.
std::string redact_unsplit(std::string_view url) {
  std::size_t body_at = url.find("://");
  if (body_at != std::string_view::npos) {
    body_at += 3;
  } else if (const auto colon = url.find(':'); colon != std::string_view::npos) {
    body_at = colon + 1;  // "mysql:/u:pw@h", "sqlite:..."
  } else {
    return url.find('@') == std::string_view::npos ? std::string(url) : "***";
  }
  const std::string_view body = url.substr(body_at);
  const auto last_at = body.rfind('@');
  if (last_at != std::string_view::npos)
    return std::string(url.substr(0, body_at)) + "***" + std::string(body.substr(last_at));
  if (body.find(':') != std::string_view::npos) return std::string(url.substr(0, body_at)) + "***";
  return std::string(url);
}

}  // namespace

std::string redact_url(std::string_view url) {
  const detail::url_split s = detail::split_url(url);
  if (s.problem != nullptr) return redact_unsplit(url);
  std::string out(s.scheme);
  // The user name goes too: a password whose ':' was lost or mistyped would be the user.
  out += "://***@";
  out += url.substr(s.after_at);
  return out;
}

}  // namespace fibersql::mysql
