#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Hiding secrets in database URLs before they reach a message, a log or a dump.
#include <string>
#include <string_view>

namespace fibersql::mysql {

// redact_url: the URL with its userinfo, as parse_url splits it, replaced by "***"
// (`mysql://***@db:3306/prod`). The user name goes too: a password whose ':' was lost or
// mistyped would otherwise show as the user. A URL the parser cannot split (typo in the scheme,
// forgotten '@host', '/' or '?' in the password) keeps only its scheme and what follows the
// last '@', or nothing but the scheme when there is no '@'. Text without ':' or '@' (a plain
// path such as sqlite:///p.db) is returned as it is.
std::string redact_url(std::string_view url);

}  // namespace fibersql::mysql
FIBERSQL_PUBLIC_END
