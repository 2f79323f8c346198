// mysql:// URLs -> connect_options.
#include <charconv>
#include <optional>
#include <string>

#include <fibersql/mysql/options.hpp>
#include <fibersql/mysql/redact.hpp>
#include <fibersql/sql/detail/url_query.hpp>
#include <fibersql/sql/errors.hpp>

#include "detail/tls_policy.hpp"
#include "detail/url_split.hpp"

namespace fibersql::mysql {
namespace {

[[noreturn]] void bad_url(std::string_view url, const std::string& why) {
  // The URL is shown redacted by the parser's own split; `why` never quotes the authority
  // (user, password, host, port), where a misplaced password would land.
  throw interface_error(0, "HY000", "bad MySQL URL '" + redact_url(url) + "': " + why);
}

std::string decode(std::string_view url, std::string_view part, const char* what) {
  try {
    return fibersql::detail::percent_decode(part, what);
  } catch (const fibersql::detail::url_syntax_error& e) {
    bad_url(url, e.what());
  }
}

unsigned parse_unsigned(std::string_view url, std::string_view text, const char* what, unsigned max) {
  unsigned n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || n > max) {
    bad_url(url, std::string(what) + " must be a whole number up to " + std::to_string(max));
  }
  return n;
}

bool parse_bool(std::string_view url, std::string_view text, const std::string& what) {
  if (text == "1" || text == "true" || text == "yes" || text == "on") return true;
  if (text == "0" || text == "false" || text == "no" || text == "off") return false;
  bad_url(url, what + " must be true or false");
}

// The TLS words of one URL, resolved into one ssl_mode once every option is read.
struct tls_words {
  std::optional<ssl_mode> mode;  // ssl_mode=
  std::optional<bool> ssl;       // ssl= (alias)
  std::optional<bool> verify;    // ssl_verify_server_cert= (alias)
};

void apply_option(connect_options& o, tls_words& tls, std::string_view url, const std::string& key,
                  const std::string& v) {
  constexpr unsigned max_seconds = 31 * 24 * 3600;
  if (key == "connect_timeout") {
    o.connect_timeout = std::chrono::seconds(parse_unsigned(url, v, "connect_timeout", max_seconds));
  } else if (key == "read_timeout") {
    o.read_timeout = std::chrono::seconds(parse_unsigned(url, v, "read_timeout", max_seconds));
  } else if (key == "write_timeout") {
    o.write_timeout = std::chrono::seconds(parse_unsigned(url, v, "write_timeout", max_seconds));
  } else if (key == "charset") {
    o.charset = v;
  } else if (key == "socket") {
    o.unix_socket = v;
  } else if (key == "ssl_mode") {
    tls.mode = detail::parse_ssl_mode(v);
    if (!tls.mode) {
      bad_url(url, "ssl_mode must be disabled, preferred, required, verify_ca or verify_identity");
    }
  } else if (key == "ssl") {
    tls.ssl = parse_bool(url, v, key);
  } else if (key == "ssl_ca") {
    o.ssl_ca = v;
  } else if (key == "ssl_capath") {
    o.ssl_capath = v;
  } else if (key == "ssl_cert") {
    o.ssl_cert = v;
  } else if (key == "ssl_key") {
    o.ssl_key = v;
  } else if (key == "ssl_cipher") {
    o.ssl_cipher = v;
  } else if (key == "ssl_verify_server_cert") {
    tls.verify = parse_bool(url, v, key);
  } else if (key == "tls_version") {
    o.tls_version = v;
  } else if (key == "server_public_key") {
    o.server_public_key = v;
  } else if (key == "allow_server_public_key") {
    o.allow_server_public_key = parse_bool(url, v, key);
  } else if (key == "allow_cleartext_password") {
    o.allow_cleartext_password = parse_bool(url, v, key);
  } else if (key == "init_command") {
    o.init_commands.push_back(v);
  } else if (key == "multi_statements") {
    o.multi_statements = parse_bool(url, v, key);
  } else if (key == "wsrep_check") {
    o.wsrep_check = parse_bool(url, v, key);
  } else if (key == "hosts") {
    o.hosts_policy = parse_host_policy(v);
  } else if (key == "host_backoff_ms" || key == "host_backoff_max_ms") {  // host_health.cpp
    const std::chrono::milliseconds ms(
        parse_unsigned(url, v, key == "host_backoff_ms" ? "host_backoff_ms" : "host_backoff_max_ms", 3600000));
    (key == "host_backoff_ms" ? o.host_backoff : o.host_backoff_max) = ms;
  } else {
    // Quoted only when it looks like a name: anything else may be a piece of a password
    // whose '?' split the URL.
    bad_url(url, "unknown option " + fibersql::detail::shown_option_name(key));
  }
}

void parse_host_port(connect_options& o, std::string_view url, std::string_view auth) {
  std::string_view host = auth;
  std::string_view port;
  bool has_port = false;
  if (!auth.empty() && auth.front() == '[') {  // [IPv6]:port
    const auto close = auth.find(']');
    if (close == std::string_view::npos) bad_url(url, "unclosed '[' in host");
    host = auth.substr(1, close - 1);
    const std::string_view rest = auth.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') bad_url(url, "junk after ']' in host");
    if (!rest.empty()) port = rest.substr(1), has_port = true;
  } else if (const auto colon = auth.rfind(':'); colon != std::string_view::npos) {
    host = auth.substr(0, colon);
    port = auth.substr(colon + 1);
    has_port = true;
  }
  if (!host.empty()) o.host = decode(url, host, "host");
  if (has_port) {
    o.port = parse_unsigned(url, port, "port", 65535);
    if (o.port == 0) bad_url(url, "port must be 1-65535");
  }
}

// resolve_ssl_mode: one mode from ssl_mode or its aliases. Without any, a CA means the user
// wants the server verified, and any other TLS option means at least "TLS or nothing".
void resolve_ssl_mode(connect_options& o, const tls_words& tls, std::string_view url) {
  if (tls.mode && (tls.ssl || tls.verify)) {
    bad_url(url, "ssl_mode cannot be combined with its aliases ssl or ssl_verify_server_cert");
  }
  if (tls.ssl == false && tls.verify == true) bad_url(url, "ssl=false contradicts ssl_verify_server_cert=true");
  if (tls.mode) {
    o.ssl_mode = *tls.mode;
  } else if (tls.verify == true) {
    o.ssl_mode = ssl_mode::verify_identity;
  } else if (tls.ssl == true) {
    o.ssl_mode = ssl_mode::required;
  } else if (tls.ssl == false) {
    o.ssl_mode = ssl_mode::disabled;
  } else if (!o.ssl_ca.empty() || !o.ssl_capath.empty()) {
    o.ssl_mode = ssl_mode::verify_identity;
  } else if (!o.ssl_cert.empty() || !o.ssl_key.empty() || !o.ssl_cipher.empty() || !o.tls_version.empty()) {
    o.ssl_mode = ssl_mode::required;
  }
  if (const std::string why = detail::tls_options_problem(o); !why.empty()) bad_url(url, why);
}

}  // namespace

connect_options parse_url(std::string_view url) {
  connect_options o;
  if (url.find('\0') != std::string_view::npos) bad_url(url, "NUL byte in the URL");
  const detail::url_split parts = detail::split_url(url);
  if (!is_url(url)) {  // one list of schemes: url_prefixes
    bad_url(url, "expected scheme 'mysql://' or 'mariadb://'");
  }
  if (parts.problem != nullptr) bad_url(url, parts.problem);
  o.user = decode(url, parts.user, "user");
  if (parts.has_password) o.password = decode(url, parts.password, "password");
  std::string_view host_port = parts.host_port;
  // "h1:p1,h2:p2": the list goes to multi_host.cpp; the first host fills host/port as usual.
  if (const auto comma = host_port.find(','); comma != std::string_view::npos) {
    o.hosts = parse_host_list(host_port);
    host_port = host_port.substr(0, comma);
  }
  parse_host_port(o, url, host_port);
  if (parts.has_database) {
    if (parts.database.find('/') != std::string_view::npos) bad_url(url, "database name contains '/'");
    o.database = decode(url, parts.database, "database");
  }
  tls_words tls;
  try {
    fibersql::detail::for_each_url_option(
        parts.query, {"init_command"},
        [&](const std::string& key, const std::string& v) { apply_option(o, tls, url, key, v); });
  } catch (const fibersql::detail::url_syntax_error& e) {
    bad_url(url, e.what());
  }
  if (o.user.empty()) bad_url(url, "no user name");
  resolve_ssl_mode(o, tls, url);
  return o;
}

std::string redacted_url(const connect_options& o) {
  // As redact_url: the whole userinfo is hidden (a password that lost its ':' is the user).
  std::string out = "mysql://***@";
  if (o.unix_socket.empty()) {
    out += (o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host) + ":" + std::to_string(o.port);
  }
  out += "/" + o.database;
  if (!o.unix_socket.empty()) out += "?socket=" + o.unix_socket;
  return out;
}

}  // namespace fibersql::mysql
