#pragma once
// sqlite:///path?options URLs -> a path and sqlite::options.
#include <chrono>
#include <string>
#include <string_view>

#include <fibersql/sqlite/connection.hpp>

namespace fibersql::sqlite::detail {

struct sqlite_url {
  std::string path;          // everything between "sqlite://" and the first '?', taken literally
  bool read_only = false;    // mode=ro
  bool create = true;        // mode=rwc (default); mode=rw: the file must exist
  bool foreign_keys = true;  // foreign_keys=on|off
  std::string journal_mode;  // journal_mode=delete|truncate|persist|memory|wal|off
  // busy_timeout=N (ms): how long a statement waits for a lock held by another connection,
  // sleeping the fiber, before operational_error.
  std::chrono::milliseconds busy_timeout{30000};
};

// parse_sqlite_url: reads "sqlite://PATH[?mode=ro|rw|rwc&journal_mode=..&busy_timeout=ms&
// foreign_keys=on|off]". Throws: interface_error naming an unknown or repeated option, a bad
// value, an empty path or a NUL in the URL.
sqlite_url parse_sqlite_url(std::string_view url);

}  // namespace fibersql::sqlite::detail
