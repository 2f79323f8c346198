// TLS/auth policy: see tls_policy.hpp and docs/security.md.
#include "detail/tls_policy.hpp"

#include <array>
#include <cctype>
#include <utility>

namespace fibersql::mysql::detail {
namespace {

constexpr std::array<std::pair<ssl_mode, const char*>, 5> mode_names{{
    {ssl_mode::disabled, "disabled"},
    {ssl_mode::preferred, "preferred"},
    {ssl_mode::required, "required"},
    {ssl_mode::verify_ca, "verify_ca"},
    {ssl_mode::verify_identity, "verify_identity"},
}};

bool valid_tls_versions(std::string_view list) {
  if (list.empty()) return true;
  while (true) {
    const auto comma = list.find(',');
    const std::string_view one = list.substr(0, comma);
    if (one != "TLSv1.2" && one != "TLSv1.3") return false;
    if (comma == std::string_view::npos) return true;
    list = list.substr(comma + 1);
  }
}

}  // namespace

const char* ssl_mode_name(ssl_mode mode) {
  for (const auto& [m, name] : mode_names) {
    if (m == mode) return name;
  }
  return "unknown";
}

std::optional<ssl_mode> parse_ssl_mode(std::string_view word) {
  std::string lower;
  for (const char c : word) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& [m, name] : mode_names) {
    if (lower == name) return m;
  }
  return std::nullopt;
}

bool tls_mandatory(const ssl_mode mode) {
  return mode >= ssl_mode::required;
}

std::string tls_options_problem(const connect_options& o) {
  const bool tls_files = !o.ssl_ca.empty() || !o.ssl_capath.empty() || !o.ssl_cert.empty() || !o.ssl_key.empty() ||
                         !o.ssl_cipher.empty() || !o.tls_version.empty();
  if (o.ssl_mode == ssl_mode::disabled && tls_files) {
    return "TLS options (ssl_ca, ssl_capath, ssl_cert, ssl_key, ssl_cipher, tls_version) given "
           "with ssl_mode=disabled; name a mode that uses TLS";
  }
  if (o.ssl_mode >= ssl_mode::verify_ca && o.ssl_ca.empty() && o.ssl_capath.empty()) {
    return std::string("ssl_mode=") + ssl_mode_name(o.ssl_mode) +
           " needs ssl_ca or ssl_capath: the certificate authority to verify against";
  }
  if (o.ssl_cert.empty() != o.ssl_key.empty()) return "ssl_cert and ssl_key go together";
  if (!valid_tls_versions(o.tls_version)) {
    return "tls_version must be TLSv1.2, TLSv1.3 or 'TLSv1.2,TLSv1.3', got '" + o.tls_version + "'";
  }
  if (o.allow_cleartext_password && !tls_mandatory(o.ssl_mode)) {
    return "allow_cleartext_password needs ssl_mode=required or stronger: the password is sent "
           "as typed";
  }
  return {};
}

std::string allowed_auth_plugins(const connect_options& o) {
  // Neither reveals the password: native sends a SHA1 scramble of a fresh nonce, ed25519 a
  // signature of it.
  std::string list = "mysql_native_password,client_ed25519";
  // These two send the password itself: inside TLS, or RSA-encrypted with a key that must not
  // come from the (possibly hostile) server unless the user said so.
  if (tls_mandatory(o.ssl_mode) || !o.server_public_key.empty() || o.allow_server_public_key) {
    list += ",caching_sha2_password,sha256_password";
  }
  if (o.allow_cleartext_password) list += ",mysql_clear_password,dialog";
  return list;
}

}  // namespace fibersql::mysql::detail
