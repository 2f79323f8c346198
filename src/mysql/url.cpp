// mysql:// URLs -> mysql_connect_options.
#include <charconv>
#include <string>

#include <fibersql/mysql/options.hpp>
#include <fibersql/sql/errors.hpp>

namespace fibersql {
namespace {

[[noreturn]] void bad_url(std::string_view url, const std::string& why) {
  // The URL is repeated without its password so the message can go to logs.
  std::string shown(url);
  const auto scheme_end = shown.find("://");
  const auto at = shown.rfind('@');
  if (scheme_end != std::string::npos && at != std::string::npos && at > scheme_end) {
    const auto colon = shown.find(':', scheme_end + 3);
    if (colon != std::string::npos && colon < at) shown.replace(colon + 1, at - colon - 1, "***");
  }
  throw interface_error(0, "HY000", "bad MySQL URL '" + shown + "': " + why);
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string decode(std::string_view url, std::string_view part, const char* what) {
  std::string out;
  for (std::size_t i = 0; i < part.size(); ++i) {
    if (part[i] != '%') {
      out += part[i];
      continue;
    }
    const int hi = i + 2 < part.size() ? hex_digit(part[i + 1]) : -1;
    const int lo = i + 2 < part.size() ? hex_digit(part[i + 2]) : -1;
    if (hi < 0 || lo < 0) bad_url(url, std::string("bad percent-escape in ") + what);
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

unsigned parse_unsigned(std::string_view url, std::string_view text, const char* what, unsigned max) {
  unsigned n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || n > max) {
    bad_url(url, std::string(what) + " must be a whole number up to " + std::to_string(max) + ", got '" +
                     std::string(text) + "'");
  }
  return n;
}

bool parse_bool(std::string_view url, std::string_view text, const std::string& what) {
  if (text == "1" || text == "true" || text == "yes" || text == "on") return true;
  if (text == "0" || text == "false" || text == "no" || text == "off") return false;
  bad_url(url, what + " must be true or false, got '" + std::string(text) + "'");
}

void apply_option(mysql_connect_options& o, std::string_view url, const std::string& key, const std::string& v) {
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
  } else if (key == "ssl") {
    o.ssl = parse_bool(url, v, key);
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
    o.ssl_verify_server_cert = parse_bool(url, v, key);
  } else if (key == "init_command") {
    o.init_commands.push_back(v);
  } else if (key == "multi_statements") {
    o.multi_statements = parse_bool(url, v, key);
  } else {
    bad_url(url, "unknown option '" + key + "'");
  }
}

void parse_authority(mysql_connect_options& o, std::string_view url, std::string_view auth) {
  const auto at = auth.rfind('@');
  if (at != std::string_view::npos) {
    const std::string_view userinfo = auth.substr(0, at);
    const auto colon = userinfo.find(':');
    o.user = decode(url, userinfo.substr(0, colon), "user");
    if (colon != std::string_view::npos) o.password = decode(url, userinfo.substr(colon + 1), "password");
    auth = auth.substr(at + 1);
  }
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

}  // namespace

mysql_connect_options parse_mysql_url(std::string_view url) {
  mysql_connect_options o;
  std::string_view rest;
  for (std::string_view scheme : mysql_url_schemes)
    if (url.starts_with(scheme)) rest = url.substr(scheme.size());
  if (!is_mysql_url(url)) bad_url(url, "expected scheme 'mysql://' or 'mariadb://'");
  const auto query_at = rest.find('?');
  const std::string_view query = query_at == std::string_view::npos ? std::string_view{} : rest.substr(query_at + 1);
  rest = rest.substr(0, query_at);
  const auto slash = rest.find('/');
  parse_authority(o, url, rest.substr(0, slash));
  if (slash != std::string_view::npos) {
    const std::string_view db = rest.substr(slash + 1);
    if (db.find('/') != std::string_view::npos) bad_url(url, "database name contains '/'");
    o.database = decode(url, db, "database");
  }
  std::size_t i = 0;
  while (i < query.size()) {
    const auto amp = query.find('&', i);
    const std::string_view pair = query.substr(i, amp == std::string_view::npos ? amp : amp - i);
    i = amp == std::string_view::npos ? query.size() : amp + 1;
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    if (eq == 0) bad_url(url, "option without a name");
    if (eq == std::string_view::npos) bad_url(url, "option '" + std::string(pair) + "' has no '=value'");
    apply_option(o, url, decode(url, pair.substr(0, eq), "option name"),
                 decode(url, pair.substr(eq + 1), "option value"));
  }
  if (o.user.empty()) bad_url(url, "no user name");
  return o;
}

std::string redacted_url(const mysql_connect_options& o) {
  std::string out = "mysql://" + o.user + (o.password.empty() ? "" : ":***") + "@";
  if (o.unix_socket.empty()) {
    out += (o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host) + ":" + std::to_string(o.port);
  }
  out += "/" + o.database;
  if (!o.unix_socket.empty()) out += "?socket=" + o.unix_socket;
  return out;
}

}  // namespace fibersql
