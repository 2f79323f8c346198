// Upsert (design §7.5): one typed clause, rendered with the same meaning on SQLite, MariaDB
// and MySQL 8, or refused.
#include <gtest/gtest.h>

#include <fibersql/sql/errors.hpp>

#include "models.hpp"
#include "sql_assert.hpp"

namespace {
using namespace app;

const auto lite = orm::sqlite();
const auto maria = orm::mariadb();
const auto my8 = orm::mysql();
const user ann{.username = "ann", .email = "a@x"};

auto bump() {
  return orm::insert_into(users)
      .values(ann)
      .on_conflict(users.username)
      .update(users.login_count = users.login_count + 1, users.email = orm::excluded(users.email));
}

TEST(OrmUpsert, UpdateFromExcludedAndExpressions) {
  EXPECT_SQL(
      bump().sql(lite),
      R"(INSERT INTO "users" ("username", "email", "login_count") VALUES (?, ?, ?) ON CONFLICT ("username") DO UPDATE SET "login_count" = ("users"."login_count" + ?), "email" = excluded."email" RETURNING "id")",
      {"text:ann", "text:a@x", "int:0", "int:1"});
  EXPECT_SQL(bump().sql(maria),
             "INSERT INTO `users` (`username`, `email`, `login_count`) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE "
             "`login_count` = (`users`.`login_count` + ?), `email` = VALUES(`email`), `id` = LAST_INSERT_ID(`id`)",
             {"text:ann", "text:a@x", "int:0", "int:1"});
  EXPECT_SQL(
      bump().sql(my8),
      "INSERT INTO `users` (`username`, `email`, `login_count`) VALUES (?, ?, ?) AS `excluded` ON DUPLICATE KEY UPDATE "
      "`login_count` = (`users`.`login_count` + ?), `email` = `excluded`.`email`, `id` = LAST_INSERT_ID(`id`)",
      {"text:ann", "text:a@x", "int:0", "int:1"});
}

TEST(OrmUpsert, MySqlBeforeRowAliasesUsesValues) {
  EXPECT_SQL(bump().sql(orm::mysql({8, 0, 18})),
             "INSERT INTO `users` (`username`, `email`, `login_count`) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE "
             "`login_count` = (`users`.`login_count` + ?), `email` = VALUES(`email`), `id` = LAST_INSERT_ID(`id`)",
             {"text:ann", "text:a@x", "int:0", "int:1"});
}

TEST(OrmUpsert, SqliteBeforeReturning) {
  EXPECT_SQL(
      bump().sql(orm::sqlite({3, 34, 0})),
      R"(INSERT INTO "users" ("username", "email", "login_count") VALUES (?, ?, ?) ON CONFLICT ("username") DO UPDATE SET "login_count" = ("users"."login_count" + ?), "email" = excluded."email")",
      {"text:ann", "text:a@x", "int:0", "int:1"});
}

TEST(OrmUpsert, UpdateFromExcludedColumns) {
  auto q = orm::insert_into(users)
               .values(ann)
               .on_conflict(users.username)
               .update_from_excluded(users.email, users.login_count);
  EXPECT_SQL(
      q.sql(lite),
      R"(INSERT INTO "users" ("username", "email", "login_count") VALUES (?, ?, ?) ON CONFLICT ("username") DO UPDATE SET "email" = excluded."email", "login_count" = excluded."login_count" RETURNING "id")",
      {"text:ann", "text:a@x", "int:0"});
  EXPECT_SQL(
      q.sql(my8),
      "INSERT INTO `users` (`username`, `email`, `login_count`) VALUES (?, ?, ?) AS `excluded` ON DUPLICATE KEY UPDATE "
      "`email` = `excluded`.`email`, `login_count` = `excluded`.`login_count`, `id` = LAST_INSERT_ID(`id`)",
      {"text:ann", "text:a@x", "int:0"});
}

TEST(OrmUpsert, DoNothingNeverInsertIgnore) {
  auto q = orm::insert_into(users).values(ann).on_conflict(users.username).do_nothing();
  EXPECT_SQL(
      q.sql(lite),
      R"(INSERT INTO "users" ("username", "email", "login_count") VALUES (?, ?, ?) ON CONFLICT ("username") DO NOTHING RETURNING "id")",
      {"text:ann", "text:a@x", "int:0"});
  EXPECT_SQL(
      q.sql(maria),
      "INSERT INTO `users` (`username`, `email`, `login_count`) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE `id` = `id`",
      {"text:ann", "text:a@x", "int:0"});
  EXPECT_SQL(q.sql(my8),
             "INSERT INTO `users` (`username`, `email`, `login_count`) VALUES (?, ?, ?) AS `excluded` ON DUPLICATE KEY "
             "UPDATE `id` = `id`",
             {"text:ann", "text:a@x", "int:0"});
}

TEST(OrmUpsert, ConditionalUpdate) {
  auto q = orm::insert_into(users)
               .values(ann)
               .on_conflict(users.username)
               .update(users.email = orm::excluded(users.email))
               .where(users.login_count < 10);
  EXPECT_SQL(
      q.sql(lite),
      R"(INSERT INTO "users" ("username", "email", "login_count") VALUES (?, ?, ?) ON CONFLICT ("username") DO UPDATE SET "email" = excluded."email" WHERE ("users"."login_count" < ?) RETURNING "id")",
      {"text:ann", "text:a@x", "int:0", "int:10"});
  // MySQL has no WHERE here: each assignment keeps the old value unless the condition holds.
  EXPECT_SQL(q.sql(maria),
             "INSERT INTO `users` (`username`, `email`, `login_count`) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE "
             "`email` = IF((`users`.`login_count` < ?), VALUES(`email`), `users`.`email`), `id` = LAST_INSERT_ID(`id`)",
             {"text:ann", "text:a@x", "int:0", "int:10"});
}

TEST(OrmUpsert, ConditionColumnsAssignedLast) {
  auto q = orm::insert_into(users)
               .values(ann)
               .on_conflict(users.username)
               .update(users.login_count = users.login_count + 1, users.email = orm::excluded(users.email))
               .where(users.login_count < 10);
  // login_count is read by the condition of the email assignment: it must change last.
  EXPECT_SQL(q.sql(my8),
             "INSERT INTO `users` (`username`, `email`, `login_count`) VALUES (?, ?, ?) AS `excluded` ON DUPLICATE KEY "
             "UPDATE `email` = IF((`users`.`login_count` < ?), `excluded`.`email`, `users`.`email`), `login_count` = "
             "IF((`users`.`login_count` < ?), (`users`.`login_count` + ?), `users`.`login_count`), `id` = "
             "LAST_INSERT_ID(`id`)",
             {"text:ann", "text:a@x", "int:0", "int:10", "int:10", "int:1"});
}

TEST(OrmUpsert, ImpossibleOrderRefuses) {
  auto q = orm::insert_into(users)
               .values(ann)
               .on_conflict(users.username)
               .update(users.login_count = orm::excluded(users.login_count), users.email = orm::excluded(users.email))
               .where(users.login_count < 10 && users.email.is_null());
  EXPECT_NO_THROW((void)q.sql(lite));
  EXPECT_THROW((void)q.sql(my8), fibersql::not_supported_error);
  EXPECT_THROW((void)q.sql(maria), fibersql::not_supported_error);
}

TEST(OrmUpsert, TargetMustBeAUniqueKey) {
  auto q = orm::insert_into(users).values(ann).on_conflict(users.email).do_nothing();
  try {
    (void)q.sql(lite);
    FAIL() << "expected programming_error";
  } catch (const fibersql::programming_error& e) {
    EXPECT_STREQ(e.what(),
                 "fibersql::orm: on_conflict(users.email) is not a unique key of users; its unique keys: (users.id), "
                 "(users.username)");
  }
}

TEST(OrmUpsert, MySqlRefusesWhenAnotherUniqueKeyCanFire) {
  account a{.email = "e@x", .owner = 1, .slug = "home"};
  auto q =
      orm::insert_into(accounts).values(a).on_conflict(accounts.email).update(accounts.visits = accounts.visits + 1);
  EXPECT_SQL(
      q.sql(lite),
      R"(INSERT INTO "app_accounts" ("email", "owner", "slug", "balance", "visits") VALUES (?, ?, ?, ?, ?) ON CONFLICT ("email") DO UPDATE SET "visits" = ("app_accounts"."visits" + ?) RETURNING "id")",
      {"text:e@x", "int:1", "text:home", "real:0.000000", "int:0", "int:1"});
  try {
    (void)q.sql(my8);
    FAIL() << "expected programming_error";
  } catch (const fibersql::programming_error& e) {
    EXPECT_STREQ(
        e.what(),
        "fibersql::orm: on_conflict(app_accounts.email): MySQL's ON DUPLICATE KEY UPDATE also fires on unique key "
        "(app_accounts.owner, app_accounts.slug) of the inserted row; use on_conflict(orm::any_unique_key) if that is "
        "meant");
  }
  // The composite unique index is a valid target too, and email still can fire.
  auto q2 = orm::insert_into(accounts).values(a).on_conflict(accounts.slug, accounts.owner).do_nothing();
  EXPECT_THROW((void)q2.sql(maria), fibersql::programming_error);
  EXPECT_NO_THROW((void)q2.sql(lite));
}

TEST(OrmUpsert, AnyUniqueKey) {
  account a{.email = "e@x", .owner = 1, .slug = "home"};
  auto q = orm::insert_into(accounts)
               .values(a)
               .on_conflict(orm::any_unique_key)
               .update(accounts.visits = accounts.visits + 1);
  EXPECT_SQL(q.sql(my8),
             "INSERT INTO `app_accounts` (`email`, `owner`, `slug`, `balance`, `visits`) VALUES (?, ?, ?, ?, ?) AS "
             "`excluded` ON DUPLICATE KEY UPDATE `visits` = (`app_accounts`.`visits` + ?), `id` = LAST_INSERT_ID(`id`)",
             {"text:e@x", "int:1", "text:home", "real:0.000000", "int:0", "int:1"});
  EXPECT_SQL(
      q.sql(lite),
      R"(INSERT INTO "app_accounts" ("email", "owner", "slug", "balance", "visits") VALUES (?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "visits" = ("app_accounts"."visits" + ?) RETURNING "id")",
      {"text:e@x", "int:1", "text:home", "real:0.000000", "int:0", "int:1"});
  EXPECT_THROW((void)q.sql(orm::sqlite({3, 34, 1})), fibersql::not_supported_error);
  auto ignore = orm::insert_into(accounts).values(a).on_conflict(orm::any_unique_key).do_nothing();
  EXPECT_SQL(
      ignore.sql(orm::sqlite({3, 34, 1})),
      R"(INSERT INTO "app_accounts" ("email", "owner", "slug", "balance", "visits") VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING)",
      {"text:e@x", "int:1", "text:home", "real:0.000000", "int:0"});
}

TEST(OrmUpsert, PrimaryKeyTargetWhenTheIdIsSent) {
  user known{.id = 4, .username = "dee"};
  auto q = orm::insert_into(users).values(known).on_conflict(users.id).update_from_excluded(users.username);
  EXPECT_SQL(
      q.sql(lite),
      R"(INSERT INTO "users" ("id", "username", "email", "login_count") VALUES (?, ?, ?, ?) ON CONFLICT ("id") DO UPDATE SET "username" = excluded."username" RETURNING "id")",
      {"int:4", "text:dee", "null", "int:0"});
  // username is unique too and is inserted: ON DUPLICATE KEY could fire on it.
  EXPECT_THROW((void)q.sql(my8), fibersql::programming_error);
}

TEST(OrmUpsert, CompositeKeyTarget) {
  auto q = orm::insert_into(tweet_tags)
               .values(tweet_tag{1, "x"})
               .on_conflict(tweet_tags.tweet_id, tweet_tags.tag)
               .do_nothing();
  EXPECT_SQL(q.sql(lite),
             R"(INSERT INTO "tweet_tags" ("tweet_id", "tag") VALUES (?, ?) ON CONFLICT ("tweet_id", "tag") DO NOTHING)",
             {"int:1", "text:x"});
  EXPECT_SQL(q.sql(my8),
             "INSERT INTO `tweet_tags` (`tweet_id`, `tag`) VALUES (?, ?) AS `excluded` ON DUPLICATE KEY UPDATE "
             "`tweet_id` = `tweet_id`",
             {"int:1", "text:x"});
}

TEST(OrmUpsert, NeedsAnAction) {
  auto q = orm::insert_into(users).values(ann).on_conflict(users.username);
  EXPECT_THROW((void)q.sql(lite), fibersql::programming_error);
}

}  // namespace
