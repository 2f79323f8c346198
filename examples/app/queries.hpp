#pragma once
// The application's operations on a db::database (peewee's tweepee views, without the web
// part): each runs on the calling fiber's connection, so the same code serves the
// command-line program (one fiber) and the HTTP service (a fiber per connection).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <fibersql/db/database.hpp>

#include "models.hpp"

namespace tweepee {

// create_schema: the three tables (IF NOT EXISTS), in foreign-key order.
void create_schema(fibersql::db::database& db);
// drop_schema: drops them (dependants first), if they exist.
void drop_schema(fibersql::db::database& db);

// register_user: inserts a user; `created` is false when the name was taken (the existing row
// comes back). Throws: std::invalid_argument for an empty name, one over 64 characters,
// or one with characters other than letters, digits, '_', '-' and '.'.
struct registration {
  user row;
  bool created = false;
};
registration register_user(fibersql::db::database& db, const std::string& username);
// find_user: the user with that name, if any.
std::optional<user> find_user(fibersql::db::database& db, const std::string& username);

// follow_user: `from` follows `to`; false if it already did. Throws: std::invalid_argument
// when a user follows itself; integrity_error for an unknown user id.
bool follow_user(fibersql::db::database& db, std::int64_t from, std::int64_t to);
// post: a new tweet by `author`. Throws: std::invalid_argument for empty content or content
// over 280 characters; integrity_error for an unknown user id.
tweet post(fibersql::db::database& db, std::int64_t author, const std::string& content);

// timeline: the newest `limit` tweets of the users `reader` follows, newest first.
struct timeline_entry {
  std::string username;
  tweet post;
};
std::vector<timeline_entry> timeline(fibersql::db::database& db, std::int64_t reader, std::int64_t limit = 20);

// recompute_followers: sets every user's `followers` to its count of follows (the service's
// background job); returns the rows the statement changed.
std::uint64_t recompute_followers(fibersql::db::database& db);

}  // namespace tweepee
