// INSERT / UPDATE / DELETE rendering without a database.
#include <gtest/gtest.h>

#include <fibersql/sql/errors.hpp>

#include "models.hpp"
#include "sql_assert.hpp"

namespace {
using namespace app;

const auto lite = orm::sqlite();
const auto maria = orm::mariadb();
const auto my8 = orm::mysql();

TEST(OrmInsert, OneModelLeavesDatabaseFilledColumnsOut) {
  user ann{.username = "ann"};
  // id 0 (auto_increment) and joined at the epoch (default_now) are the database's to fill.
  EXPECT_SQL(orm::insert_into(users).values(ann).sql(lite),
             R"(INSERT INTO "users" ("username", "email", "login_count") VALUES (?, ?, ?))",
             {"text:ann", "null", "int:0"});
  EXPECT_SQL(orm::insert_into(users).values(ann).sql(my8),
             "INSERT INTO `users` (`username`, `email`, `login_count`) VALUES (?, ?, ?)",
             {"text:ann", "null", "int:0"});
}

TEST(OrmInsert, SetValuesAreSent) {
  user bob{.id = 7,
           .username = "bob",
           .email = "b@x",
           .joined = fibersql::datetime{std::chrono::seconds(60)},
           .login_count = 2};
  EXPECT_SQL(orm::insert_into(users).values(bob).sql(lite),
             R"(INSERT INTO "users" ("id", "username", "email", "joined", "login_count") VALUES (?, ?, ?, ?, ?))",
             {"int:7", "text:bob", "text:b@x", "datetime:1970-01-01 00:01:00", "int:2"});
}

TEST(OrmInsert, SeveralRows) {
  std::vector<tweet> ts{{.user_id = 1, .content = "a"}, {.user_id = 2, .content = "b", .is_published = false}};
  EXPECT_SQL(orm::insert_into(tweets).values(ts).sql(lite),
             R"(INSERT INTO "tweets" ("user_id", "content", "is_published") VALUES (?, ?, ?), (?, ?, ?))",
             {"int:1", "text:a", "bool:1", "int:2", "text:b", "bool:0"});
}

TEST(OrmInsert, ExplicitAssignments) {
  EXPECT_SQL(orm::insert_into(users).set(users.username = "cy", users.login_count = 3).sql(maria),
             "INSERT INTO `users` (`username`, `login_count`) VALUES (?, ?)", {"text:cy", "int:3"});
  EXPECT_SQL(orm::insert_into(users).set(users.email = std::nullopt, users.username = "d").sql(lite),
             R"(INSERT INTO "users" ("email", "username") VALUES (?, ?))", {"null", "text:d"});
}

TEST(OrmInsert, NoColumnsPerDialect) {
  EXPECT_SQL(orm::insert_into(users).set().sql(lite), R"(INSERT INTO "users" DEFAULT VALUES)", {});
  EXPECT_SQL(orm::insert_into(users).set().sql(my8), "INSERT INTO `users` () VALUES ()", {});
}

// Several rows that name no column: MySQL lists one () per row; SQLite's DEFAULT VALUES is
// one row, so the statement refuses to render instead of inserting one row for three.
TEST(OrmInsert, SeveralRowsOfDefaultsPerDialect) {
  const std::vector<visit> vs(3);
  EXPECT_SQL(orm::insert_into(visits).values(vs).sql(my8), "INSERT INTO `visits` () VALUES (), (), ()", {});
  EXPECT_THROW((void)orm::insert_into(visits).values(vs).sql(lite), fibersql::not_supported_error);
}

TEST(OrmInsert, CompositeKeyRow) {
  EXPECT_SQL(orm::insert_into(tweet_tags).values(tweet_tag{5, "cpp"}).sql(lite),
             R"(INSERT INTO "tweet_tags" ("tweet_id", "tag") VALUES (?, ?))", {"int:5", "text:cpp"});
}

TEST(OrmUpdate, SetWithExpression) {
  auto q = orm::update(users).set(users.login_count = users.login_count + 1).where(users.id == 9);
  EXPECT_SQL(q.sql(lite), R"(UPDATE "users" SET "login_count" = ("users"."login_count" + ?) WHERE ("users"."id" = ?))",
             {"int:1", "int:9"});
  EXPECT_SQL(q.sql(maria), "UPDATE `users` SET `login_count` = (`users`.`login_count` + ?) WHERE (`users`.`id` = ?)",
             {"int:1", "int:9"});
  EXPECT_SQL(q.sql(my8), "UPDATE `users` SET `login_count` = (`users`.`login_count` + ?) WHERE (`users`.`id` = ?)",
             {"int:1", "int:9"});
}

TEST(OrmUpdate, SeveralSetsAndNull) {
  auto q = orm::update(users).set(users.email = std::nullopt, users.username = "zed").where(users.username == "z");
  EXPECT_SQL(q.sql(lite), R"(UPDATE "users" SET "email" = ?, "username" = ? WHERE ("users"."username" = ?))",
             {"null", "text:zed", "text:z"});
  auto q2 = orm::update(users).set(users.email = std::nullopt).set(users.login_count = 0).where(users.id == 1);
  EXPECT_SQL(q2.sql(lite), R"(UPDATE "users" SET "email" = ?, "login_count" = ? WHERE ("users"."id" = ?))",
             {"null", "int:0", "int:1"});
}

TEST(OrmUpdate, StringColumnsTakeAnyStringView) {
  std::string_view name = "sv";
  const char* c = "cs";
  auto q = orm::update(users).set(users.username = name, users.email = c).where(users.id == 2);
  EXPECT_SQL(q.sql(lite), R"(UPDATE "users" SET "username" = ?, "email" = ? WHERE ("users"."id" = ?))",
             {"text:sv", "text:cs", "int:2"});
}

TEST(OrmUpdate, AllRowsMustBeSaid) {
  EXPECT_SQL(orm::update(tweets).set(tweets.is_published = false).all_rows().sql(lite),
             R"(UPDATE "tweets" SET "is_published" = ?)", {"bool:0"});
}

TEST(OrmUpdate, MySqlOrdersAssignmentsSoTheyReadTheOldRow) {
  // MySQL's SET sees earlier assignments; reading login_count before it changes keeps
  // SQLite's meaning.
  auto q = orm::update(users)
               .set(users.login_count = 0, users.email = fibersql::orm::concat(users.username, "@x"))
               .where(users.id == 1);
  EXPECT_SQL(q.sql(my8),
             "UPDATE `users` SET `login_count` = ?, `email` = CONCAT(`users`.`username`, ?) WHERE (`users`.`id` = ?)",
             {"int:0", "text:@x", "int:1"});
  auto swap = orm::update(users).set(users.login_count = users.id, users.id = users.login_count).where(users.id == 1);
  EXPECT_SQL(
      swap.sql(lite),
      R"(UPDATE "users" SET "login_count" = "users"."id", "id" = "users"."login_count" WHERE ("users"."id" = ?))",
      {"int:1"});
  EXPECT_THROW((void)swap.sql(my8), fibersql::not_supported_error);
  auto reorder = orm::update(users).set(users.login_count = 1, users.id = users.login_count + 100).where(users.id == 1);
  EXPECT_SQL(reorder.sql(maria),
             "UPDATE `users` SET `id` = (`users`.`login_count` + ?), `login_count` = ? WHERE (`users`.`id` = ?)",
             {"int:100", "int:1", "int:1"});
}

TEST(OrmUpdate, NothingToSetIsAnError) {
  EXPECT_THROW((void)orm::update(users).where(users.id == 1).sql(lite), fibersql::programming_error);
}

TEST(OrmDelete, WithWhere) {
  EXPECT_SQL(orm::delete_from(tweets).where(tweets.id == 3).sql(lite),
             R"(DELETE FROM "tweets" WHERE ("tweets"."id" = ?))", {"int:3"});
  EXPECT_SQL(orm::delete_from(tweets).where(tweets.id == 3).sql(my8), "DELETE FROM `tweets` WHERE (`tweets`.`id` = ?)",
             {"int:3"});
}

TEST(OrmDelete, WithSubquery) {
  auto q = orm::delete_from(tweets).where(
      tweets.user_id.in(orm::select(users.id).where(users.username.starts_with("spam"))));
  EXPECT_SQL(
      q.sql(lite),
      R"(DELETE FROM "tweets" WHERE ("tweets"."user_id" IN (SELECT "users"."id" FROM "users" WHERE ("users"."username" LIKE ? ESCAPE '\'))))",
      {"text:spam%"});
}

TEST(OrmDelete, AllRowsMustBeSaid) {
  EXPECT_SQL(orm::delete_from(tweets).all_rows().sql(lite), R"(DELETE FROM "tweets")", {});
  EXPECT_SQL(orm::delete_from(tweets).all_rows().sql(maria), "DELETE FROM `tweets`", {});
}

}  // namespace
