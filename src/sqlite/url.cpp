// parse_sqlite_url: see detail/url.hpp.
#include "detail/url.hpp"

#include <charconv>

#include <fibersql/sql/detail/url_query.hpp>
#include <fibersql/sql/errors.hpp>

namespace fibersql::sqlite::detail {
namespace {

constexpr std::string_view scheme = "sqlite://";

[[noreturn]] void bad(std::string_view url, const std::string& why) {
  // SQLite URLs carry no secret; a NUL is never echoed (it would cut the message short).
  const std::string shown = url.find('\0') == std::string_view::npos ? std::string(url) : std::string(scheme) + "...";
  throw interface_error(0, "HY000", "bad SQLite URL '" + shown + "': " + why);
}

bool parse_on_off(std::string_view url, std::string_view key, std::string_view v) {
  if (v == "1" || v == "on" || v == "true" || v == "yes") return true;
  if (v == "0" || v == "off" || v == "false" || v == "no") return false;
  bad(url, std::string(key) + " must be on or off, got '" + std::string(v) + "'");
}

void apply(sqlite_url& out, std::string_view url, std::string_view key, std::string_view v) {
  if (key == "mode") {
    if (v == "ro") {
      out.read_only = true, out.create = false;
    } else if (v == "rw") {
      out.read_only = false, out.create = false;
    } else if (v == "rwc") {
      out.read_only = false, out.create = true;
    } else {
      bad(url, "mode must be ro, rw or rwc, got '" + std::string(v) + "'");
    }
  } else if (key == "journal_mode") {
    for (std::string_view known : {"delete", "truncate", "persist", "memory", "wal", "off"}) {
      if (v == known) out.journal_mode = std::string(v);
    }
    if (out.journal_mode.empty()) {
      bad(url, "journal_mode must be delete, truncate, persist, memory, wal or off, got '" + std::string(v) + "'");
    }
  } else if (key == "busy_timeout") {
    unsigned ms = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), ms);
    constexpr unsigned max_ms = 24 * 3600 * 1000;
    if (v.empty() || ec != std::errc{} || end != v.data() + v.size() || ms > max_ms) {
      bad(url, "busy_timeout must be a whole number of milliseconds up to " + std::to_string(max_ms) + ", got '" +
                   std::string(v) + "'");
    }
    out.busy_timeout = std::chrono::milliseconds(ms);
  } else if (key == "foreign_keys") {
    out.foreign_keys = parse_on_off(url, key, v);
  } else {
    bad(url, "unknown option '" + std::string(key) +
                 "' (known: mode, journal_mode, busy_timeout, foreign_keys; a '?' in a file name is not supported)");
  }
}

}  // namespace

sqlite_url parse_sqlite_url(std::string_view url) {
  if (!url.starts_with(scheme)) bad(url, "expected scheme 'sqlite://'");
  if (url.find('\0') != std::string_view::npos) bad(url, "NUL byte in the URL");
  sqlite_url out;
  std::string_view rest = url.substr(scheme.size());
  const auto query_at = rest.find('?');
  out.path = std::string(rest.substr(0, query_at));
  if (out.path.empty()) bad(url, "no path (use sqlite:///abs/path.db, sqlite://rel.db or sqlite::memory:)");
  if (query_at == std::string_view::npos) return out;
  try {
    fibersql::detail::for_each_url_option(
        rest.substr(query_at + 1), {}, [&](const std::string& key, const std::string& v) { apply(out, url, key, v); });
  } catch (const fibersql::detail::url_syntax_error& e) {
    bad(url, e.what());
  }
  return out;
}

}  // namespace fibersql::sqlite::detail
