#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// The SQL dialect a statement is rendered for: the server flavour and its version. A plain
// value, so queries print their SQL without a database (`q.sql(orm::sqlite())`).
#include <compare>

#include <fibersql/sql/server_info.hpp>

namespace fibersql::orm {

enum class flavor { sqlite, mariadb, mysql };

struct version {
  int major = 0;
  int minor = 0;
  int patch = 0;
  friend constexpr auto operator<=>(const version&, const version&) = default;
};

struct dialect {
  orm::flavor flavor = orm::flavor::sqlite;
  orm::version version{};
  // True for MariaDB and MySQL: backtick identifiers, ON DUPLICATE KEY, implicit DDL commit.
  constexpr bool mysql_family() const noexcept { return flavor != orm::flavor::sqlite; }
  friend constexpr bool operator==(const dialect&, const dialect&) = default;
};

// sqlite / mariadb / mysql: the dialect of that server at a version (defaults: the versions
// Debian 12 ships, and MySQL 8.0's current release).
constexpr dialect sqlite(version v = {3, 40, 1}) {
  return {flavor::sqlite, v};
}
constexpr dialect mariadb(version v = {10, 11, 0}) {
  return {flavor::mariadb, v};
}
constexpr dialect mysql(version v = {8, 0, 36}) {
  return {flavor::mysql, v};
}

// dialect_of: the dialect of a connection's server (`dialect_of(db.connection().server_version())`).
// Throws: not_supported_error for an unknown flavour.
dialect dialect_of(const server_info& server);

}  // namespace fibersql::orm
FIBERSQL_PUBLIC_END
