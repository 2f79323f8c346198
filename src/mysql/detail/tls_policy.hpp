#pragma once
// The TLS and authentication policy of a connect, decided from the options alone (no IO):
// mode names, which option combinations make sense, which auth plugins may run.
#include <optional>
#include <string>
#include <string_view>

#include <fibersql/mysql/options.hpp>

namespace fibersql::mysql::detail {

// The URL word for a mode ("verify_ca").
const char* ssl_mode_name(ssl_mode mode);
// parse_ssl_mode: "disabled" ... "verify_identity", any letter case (MySQL writes REQUIRED).
std::optional<ssl_mode> parse_ssl_mode(std::string_view word);
// True for required and above: no authentication byte may cross a plaintext channel.
bool tls_mandatory(const ssl_mode mode);
// tls_options_problem: why these options cannot be honoured together, or "" when they can.
// Never mentions the password.
std::string tls_options_problem(const connect_options& o);
// allowed_auth_plugins: the comma-separated MARIADB_OPT_RESTRICTED_AUTH list. Plugins that
// reveal the password (mysql_clear_password, dialog) only on opt-in; sha256_password and
// caching_sha2_password only where the password is protected (TLS mandatory, a pinned key) or
// on the opt-in for a server-sent key.
std::string allowed_auth_plugins(const connect_options& o);

}  // namespace fibersql::mysql::detail
