#pragma once
// The models of the example application, in the shape of peewee's "tweepee": users who post
// tweets and follow each other. Shared by examples/app (the command-line program) and
// examples/service (the HTTP API). The SQL tables carry a `tweepee_` prefix so the example can
// share a database (the test fixture's) with other tables named users/tweets.
#include <cstdint>
#include <string>

#include <fibersql/orm/orm.hpp>

namespace tweepee {
namespace orm = fibersql::orm;

struct user {
  std::int64_t id = 0;
  std::string username;
  fibersql::datetime joined{};
  std::int64_t followers = 0;  // recomputed by the service's background job (denormalised)
};

struct tweet {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string content;
  fibersql::datetime created{};
};

// follow: from_user_id follows to_user_id (peewee's Relationship).
struct follow {
  std::int64_t from_user_id = 0;
  std::int64_t to_user_id = 0;
};

FIBERSQL_TABLE_AS(users, "tweepee_users", user, (id, auto_increment), (username, unique, max_length(64)),
                  (joined, default_now), (followers, default_value(0)));

FIBERSQL_TABLE_AS(tweets, "tweepee_tweets", tweet, (id, auto_increment),
                  (user_id, references(users.id), on_delete(cascade)), (content, max_length(280)),
                  (created, default_now));
FIBERSQL_TABLE_META(tweets, orm::index(tweets.user_id, tweets.created));

FIBERSQL_TABLE_AS(follows, "tweepee_follows", follow, (from_user_id, references(users.id), on_delete(cascade)),
                  (to_user_id, references(users.id), on_delete(cascade), index));
FIBERSQL_TABLE_META(follows, orm::primary_key(follows.from_user_id, follows.to_user_id));

}  // namespace tweepee
