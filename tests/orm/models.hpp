#pragma once
// The models of the ORM SQL tests: design §5.2's users/tweets, a junction table with a
// composite key, a self-referencing tree, a cycle broken by a deferred reference, and a
// table with two unique keys (MySQL's ON DUPLICATE KEY trap).
#include <cstdint>
#include <optional>
#include <string>

#include <fibersql/orm/orm.hpp>

namespace app {
namespace orm = fibersql::orm;

struct user {
  std::int64_t id = 0;
  std::string username;
  std::optional<std::string> email;
  fibersql::datetime joined{};
  std::int64_t login_count = 0;
};

struct tweet {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string content;
  fibersql::datetime created{};
  bool is_published = true;
};

FIBERSQL_TABLE(users, user, (id, auto_increment), (username, unique, max_length(64)), (email, max_length(255)),
               (joined, default_now), (login_count, default_value(0)));

FIBERSQL_TABLE(tweets, tweet, (id, auto_increment), (user_id, references(users.id), on_delete(cascade), index),
               (content, text), (created, default_now, index), (is_published, default_value(true)));
FIBERSQL_TABLE_META(tweets, orm::index(tweets.user_id, tweets.created));

// visit: every column has a database default, so an insert of one names no column.
struct visit {
  std::int64_t id = 0;
  fibersql::datetime at{};
};
FIBERSQL_TABLE(visits, visit, (id, auto_increment), (at, default_now));

struct tweet_tag {
  std::int64_t tweet_id = 0;
  std::string tag;
};
FIBERSQL_TABLE(tweet_tags, tweet_tag, (tweet_id, references(tweets.id), on_delete(cascade)), (tag, max_length(32)));
FIBERSQL_TABLE_META(tweet_tags, orm::primary_key(tweet_tags.tweet_id, tweet_tags.tag));

struct category {
  std::int64_t id = 0;
  std::optional<std::int64_t> parent_id;
  std::string name;
};
FIBERSQL_TABLE(categories, category, (id, auto_increment), (parent_id, references_self, on_delete(set_null)),
               (name, max_length(100)));

// A cycle: a department has a manager (an employee), an employee a department.
struct department {
  std::int64_t id = 0;
  std::optional<std::int64_t> manager_id;
  std::string title;
};
struct employee {
  std::int64_t id = 0;
  std::int64_t department_id = 0;
  std::string full_name;
};
FIBERSQL_TABLE(departments, department, (id, auto_increment), (manager_id, references_deferred("employees", "id")),
               (title, column_name("name"), max_length(80)));
FIBERSQL_TABLE(employees, employee, (id, auto_increment), (department_id, references(departments.id)),
               (full_name, max_length(80)));

// Two unique keys besides the primary key: email and (owner, slug).
struct account {
  std::int64_t id = 0;
  std::string email;
  std::int64_t owner = 0;
  std::string slug;
  double balance = 0;
  std::int32_t visits = 0;
};
FIBERSQL_TABLE_AS(accounts, "app_accounts", account, (id, auto_increment), (email, unique, max_length(120)), (owner),
                  (slug, max_length(40)), (balance, default_value(0.5)), (visits));
FIBERSQL_TABLE_META(accounts, orm::unique_index(accounts.owner, accounts.slug));

}  // namespace app
