#pragma once
// A test fixture parametrised by backend (sqlite::memory: and the MariaDB fixture, whose test
// names end in /mariadb and get the `mysql` label), with a fresh users/tweets schema on a
// database opened with orm::observed() options, and the seeding the prefetch tests share.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <fibersql/runtime/runtime.hpp>

#include "models.hpp"
#include "support/test_env.hpp"

namespace app {

enum class backend { sqlite_memory, mariadb };
// PrintTo: the backend's name in test names (gtest_discover_tests appends GetParam()).
inline void PrintTo(backend b, std::ostream* os) {
  *os << (b == backend::sqlite_memory ? "sqlite_memory" : "mariadb");
}

class OrmBackend : public ::testing::TestWithParam<backend> {
 protected:
  void SetUp() override {
    if (GetParam() == backend::mariadb) {
      FIBERSQL_REQUIRE_MYSQL();
    }
  }
  // in_db: body on a fresh schema (users, tweets), dropped again afterwards.
  void in_db(const std::function<void(fibersql::db::database&)>& body) {
    fibersql::run([&] {
      const std::string url =
          GetParam() == backend::mariadb ? fibersql::testing::test_mysql_url() : std::string("sqlite::memory:");
      fibersql::db::database db{url, orm::observed()};
      orm::drop_tables(db, tweets, users);
      orm::create_tables(db, tweets, users);
      body(db);
      orm::drop_tables(db, tweets, users);
    });
  }
};

// seed: n users; user i has i % (max_tweets + 1) tweets whose `created` order differs from
// their id order (so ordering by created is a real choice). Returns the users, ids filled.
inline std::vector<user> seed(fibersql::db::database& db, int n, int max_tweets) {
  std::vector<user> people;
  for (int i = 0; i < n; ++i) people.push_back(user{.username = "u" + std::to_string(i)});
  orm::insert_many(db, people);
  std::vector<tweet> posts;
  for (int i = 0; i < n; ++i)
    for (int k = 0; k < i % (max_tweets + 1); ++k)
      posts.push_back(tweet{.user_id = people[i].id,
                            .content = "t" + std::to_string(i) + "." + std::to_string(k),
                            .created = fibersql::datetime{std::chrono::seconds(1'700'000'000 + (k * 7919) % 13)}});
  orm::insert_many(db, posts);
  if (people.front().id == 0) people = orm::select(users).order_by(users.id).all(db);  // ids not returned
  return people;
}

}  // namespace app
