#include "queries.hpp"

#include <cctype>
#include <stdexcept>

namespace tweepee {

namespace fn = fibersql::orm::fn;

namespace {
constexpr std::size_t max_username = 64;  // the column's VARCHAR(64)
constexpr std::size_t max_content = 280;  // the column's VARCHAR(280)
}  // namespace

void create_schema(fibersql::db::database& db) {
  orm::create_tables(db, users, tweets, follows);
}

void drop_schema(fibersql::db::database& db) {
  orm::drop_tables(db, users, tweets, follows);
}

registration register_user(fibersql::db::database& db, const std::string& username) {
  if (username.empty() || username.size() > max_username)
    throw std::invalid_argument("username must be 1 to 64 characters, got " + std::to_string(username.size()));
  // Names appear in URL paths (/timeline/<name>): only characters that need no escaping there.
  for (const char c : username)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.')
      throw std::invalid_argument("username may hold letters, digits, '_', '-' and '.' only, got '" + username + "'");
  auto [row, created] = orm::get_or_create(db, users, users.username == username, user{.username = username});
  return {std::move(row), created};
}

std::optional<user> find_user(fibersql::db::database& db, const std::string& username) {
  return orm::get_or_none(db, users, users.username == username);
}

bool follow_user(fibersql::db::database& db, std::int64_t from, std::int64_t to) {
  if (from == to) throw std::invalid_argument("a user cannot follow itself (user id " + std::to_string(from) + ")");
  // A no-op on the duplicate: following twice is not an error, and 0 rows tells it apart.
  const auto r = orm::insert_into(follows)
                     .values(follow{.from_user_id = from, .to_user_id = to})
                     .on_conflict(follows.from_user_id, follows.to_user_id)
                     .do_nothing()
                     .execute(db);
  return r.affected == 1;
}

tweet post(fibersql::db::database& db, std::int64_t author, const std::string& content) {
  if (content.empty() || content.size() > max_content)
    throw std::invalid_argument("content must be 1 to 280 characters, got " + std::to_string(content.size()));
  tweet t{.user_id = author, .content = content};
  orm::insert(db, t);
  return orm::get_by_id(db, tweets, t.id);  // with the server's `created`
}

std::vector<timeline_entry> timeline(fibersql::db::database& db, std::int64_t reader, std::int64_t limit) {
  const auto followed = orm::select(follows.to_user_id).where(follows.from_user_id == reader);
  const auto rows = orm::select(users.username, tweets)
                        .from(tweets)
                        .join(users)
                        .where(tweets.user_id.in(followed))
                        .order_by(tweets.created.desc(), tweets.id.desc())
                        .limit(limit)
                        .all(db);
  std::vector<timeline_entry> out;
  out.reserve(rows.size());
  for (const auto& [name, t] : rows) out.push_back({name, t});
  return out;
}

std::uint64_t recompute_followers(fibersql::db::database& db) {
  const auto count =
      orm::select(fn::count()).from(follows).where(follows.to_user_id == users.id);  // correlated per user
  return orm::update(users).set(users.followers = fn::coalesce(orm::scalar(count), 0)).all_rows().execute(db);
}

}  // namespace tweepee
