// schema_sql / drop_sql: §7.4's type mapping, keys, references, foreign-key order with a
// stable tie-break, cycles (named, or broken by a deferred reference), indexes after tables.
#include <gtest/gtest.h>

#include <fibersql/sql/errors.hpp>

#include "models.hpp"

namespace {
using namespace app;
using strings = std::vector<std::string>;

const auto lite = orm::sqlite();
const auto maria = orm::mariadb();
const auto my8 = orm::mysql();

TEST(OrmSchema, UsersPerDialect) {
  EXPECT_EQ(
      orm::schema_sql(lite, users),
      (strings{
          R"(CREATE TABLE IF NOT EXISTS "users" ("id" INTEGER PRIMARY KEY, "username" TEXT NOT NULL UNIQUE, "email" TEXT, "joined" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, "login_count" INTEGER NOT NULL DEFAULT 0))"}));
  const strings my{
      "CREATE TABLE IF NOT EXISTS `users` (`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, `username` VARCHAR(64) NOT "
      "NULL UNIQUE, `email` VARCHAR(255), `joined` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), `login_count` "
      "BIGINT NOT NULL DEFAULT 0)"};
  EXPECT_EQ(orm::schema_sql(maria, users), my);
  EXPECT_EQ(orm::schema_sql(my8, users), my);
}

TEST(OrmSchema, ForeignKeyOrderAndIndexesAfterTheirTable) {
  // tweets given first, but it references users.
  EXPECT_EQ(
      orm::schema_sql(lite, tweets, users),
      (strings{
          R"(CREATE TABLE IF NOT EXISTS "users" ("id" INTEGER PRIMARY KEY, "username" TEXT NOT NULL UNIQUE, "email" TEXT, "joined" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, "login_count" INTEGER NOT NULL DEFAULT 0))",
          R"(CREATE TABLE IF NOT EXISTS "tweets" ("id" INTEGER PRIMARY KEY, "user_id" INTEGER NOT NULL, "content" TEXT NOT NULL, "created" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, "is_published" BOOLEAN NOT NULL DEFAULT 1, CONSTRAINT "fk_tweets_user_id" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE))",
          R"(CREATE INDEX IF NOT EXISTS "idx_tweets_user_id" ON "tweets" ("user_id"))",
          R"(CREATE INDEX IF NOT EXISTS "idx_tweets_created" ON "tweets" ("created"))",
          R"(CREATE INDEX IF NOT EXISTS "idx_tweets_user_id_created" ON "tweets" ("user_id", "created"))"}));
}

TEST(OrmSchema, MariaDbIndexesAreStatements) {
  const strings s = orm::schema_sql(maria, tweets, users);
  ASSERT_EQ(s.size(), 5u);
  EXPECT_EQ(s[1],
            "CREATE TABLE IF NOT EXISTS `tweets` (`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, `user_id` BIGINT "
            "NOT NULL, `content` TEXT NOT NULL, `created` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), "
            "`is_published` BOOLEAN NOT NULL DEFAULT 1, CONSTRAINT `fk_tweets_user_id` FOREIGN KEY (`user_id`) "
            "REFERENCES `users` (`id`) ON DELETE CASCADE)");
  EXPECT_EQ(s[4], "CREATE INDEX IF NOT EXISTS `idx_tweets_user_id_created` ON `tweets` (`user_id`, `created`)");
}

TEST(OrmSchema, MySqlIndexesInsideCreateTable) {
  // MySQL 8 has no CREATE INDEX IF NOT EXISTS.
  const strings s = orm::schema_sql(my8, tweets, users);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[1],
            "CREATE TABLE IF NOT EXISTS `tweets` (`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, `user_id` BIGINT "
            "NOT NULL, `content` TEXT NOT NULL, `created` DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), "
            "`is_published` BOOLEAN NOT NULL DEFAULT 1, CONSTRAINT `fk_tweets_user_id` FOREIGN KEY (`user_id`) "
            "REFERENCES `users` (`id`) ON DELETE CASCADE, INDEX `idx_tweets_user_id` (`user_id`), INDEX "
            "`idx_tweets_created` (`created`), INDEX `idx_tweets_user_id_created` (`user_id`, `created`))");
}

TEST(OrmSchema, StableTieBreakIsTheGivenOrder) {
  auto names = [](const strings& s) {
    std::string out;
    for (const auto& x : s)
      if (x.rfind("CREATE TABLE", 0) == 0) out += x.substr(27, x.find(' ', 27) - 27) + " ";
    return out;
  };
  EXPECT_EQ(names(orm::schema_sql(lite, accounts, categories, users)), R"("app_accounts" "categories" "users" )");
  EXPECT_EQ(names(orm::schema_sql(lite, users, categories, accounts)), R"("users" "categories" "app_accounts" )");
  EXPECT_EQ(names(orm::schema_sql(lite, tweet_tags, accounts, tweets, users)),
            R"("app_accounts" "users" "tweets" "tweet_tags" )");
}

TEST(OrmSchema, CompositePrimaryKey) {
  EXPECT_EQ(orm::schema_sql(my8, tweet_tags),
            (strings{"CREATE TABLE IF NOT EXISTS `tweet_tags` (`tweet_id` BIGINT NOT NULL, `tag` VARCHAR(32) NOT NULL, "
                     "PRIMARY KEY (`tweet_id`, `tag`), CONSTRAINT `fk_tweet_tags_tweet_id` FOREIGN KEY (`tweet_id`) "
                     "REFERENCES `tweets` (`id`) ON DELETE CASCADE)"}));
}

TEST(OrmSchema, SelfReference) {
  EXPECT_EQ(
      orm::schema_sql(lite, categories),
      (strings{
          R"(CREATE TABLE IF NOT EXISTS "categories" ("id" INTEGER PRIMARY KEY, "parent_id" INTEGER, "name" TEXT NOT NULL, CONSTRAINT "fk_categories_parent_id" FOREIGN KEY ("parent_id") REFERENCES "categories" ("id") ON DELETE SET NULL))"}));
}

TEST(OrmSchema, DeferredReferenceBreaksACycle) {
  EXPECT_EQ(
      orm::schema_sql(lite, employees, departments),
      (strings{
          R"(CREATE TABLE IF NOT EXISTS "departments" ("id" INTEGER PRIMARY KEY, "manager_id" INTEGER, "name" TEXT NOT NULL, CONSTRAINT "fk_departments_manager_id" FOREIGN KEY ("manager_id") REFERENCES "employees" ("id")))",
          R"(CREATE TABLE IF NOT EXISTS "employees" ("id" INTEGER PRIMARY KEY, "department_id" INTEGER NOT NULL, "full_name" TEXT NOT NULL, CONSTRAINT "fk_employees_department_id" FOREIGN KEY ("department_id") REFERENCES "departments" ("id")))"}));
  EXPECT_EQ(orm::schema_sql(maria, employees, departments),
            (strings{"CREATE TABLE IF NOT EXISTS `departments` (`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, "
                     "`manager_id` BIGINT, `name` VARCHAR(80) NOT NULL)",
                     "CREATE TABLE IF NOT EXISTS `employees` (`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, "
                     "`department_id` BIGINT NOT NULL, `full_name` VARCHAR(80) NOT NULL, CONSTRAINT "
                     "`fk_employees_department_id` FOREIGN KEY (`department_id`) REFERENCES `departments` (`id`))",
                     "ALTER TABLE `departments` ADD CONSTRAINT `fk_departments_manager_id` FOREIGN KEY (`manager_id`) "
                     "REFERENCES `employees` (`id`)"}));
}

TEST(OrmSchema, Drop) {
  EXPECT_EQ(orm::drop_sql(lite, users, tweets),
            (strings{R"(DROP TABLE IF EXISTS "tweets")", R"(DROP TABLE IF EXISTS "users")"}));
  EXPECT_EQ(orm::drop_sql(my8, employees, departments),
            (strings{"ALTER TABLE `departments` DROP FOREIGN KEY `fk_departments_manager_id`",
                     "DROP TABLE IF EXISTS `employees`", "DROP TABLE IF EXISTS `departments`"}));
  EXPECT_EQ(orm::drop_sql(maria, employees, departments),
            (strings{"ALTER TABLE `departments` DROP FOREIGN KEY IF EXISTS `fk_departments_manager_id`",
                     "DROP TABLE IF EXISTS `employees`", "DROP TABLE IF EXISTS `departments`"}));
}

// A cycle of resolved references cannot be declared (references(t.c) needs t declared), so
// every declared cycle contains a deferred reference; create_order still names a cycle it is
// given, shown here with metadata built at run time.
TEST(OrmSchema, CycleIsNamed) {
  orm::column_info a[2], b[2], c[2];
  for (auto* t : {a, b, c}) t[0].options.auto_increment = true;
  a[0].table = a[1].table = "a";
  b[0].table = b[1].table = "b";
  c[0].table = c[1].table = "c";
  a[0].name = b[0].name = c[0].name = "id";
  a[1].name = "b_id";
  a[1].options.references.target = &b[0];
  b[1].name = "c_id";
  b[1].options.references.target = &c[0];
  c[1].name = "a_id";
  c[1].options.references.target = &a[0];
  const orm::table_info ta{"a", a}, tb{"b", b}, tc{"c", c};
  std::vector<orm::detail::table_ref> refs{{&ta}, {&tb}, {&tc}};
  try {
    (void)orm::detail::create_order(refs);
    FAIL() << "expected programming_error";
  } catch (const fibersql::programming_error& e) {
    EXPECT_STREQ(e.what(),
                 "fibersql::orm: tables reference each other in a cycle: a -> b -> c -> a; declare one of these "
                 "references with references_deferred(table, column)");
  }
  c[1].options.references = {};  // broken: c first, then b, then a
  EXPECT_EQ(orm::detail::create_order(refs), (std::vector<std::size_t>{2, 1, 0}));
}

TEST(OrmSchema, TypeMapping) {
  static constexpr orm::column_info cols[] = {
      orm::detail::make_column_info<std::int16_t>(
          "ev", "s", orm::detail::make_options<std::int16_t>(orm::column_options::primary_key)),
      orm::detail::make_column_info<std::int32_t>("ev", "i", {}),
      orm::detail::make_column_info<std::uint64_t>("ev", "u", {}),
      orm::detail::make_column_info<float>("ev", "f", {}),
      orm::detail::make_column_info<double>("ev", "d", {}),
      orm::detail::make_column_info<bool>("ev", "b",
                                          orm::detail::make_options<bool>(orm::column_options::default_value(false))),
      orm::detail::make_column_info<fibersql::bytes>("ev", "blob", {}),
      orm::detail::make_column_info<fibersql::bytes>(
          "ev", "key", orm::detail::make_options<fibersql::bytes>(orm::column_options::max_length(16))),
      orm::detail::make_column_info<fibersql::date>("ev", "day", {}),
      orm::detail::make_column_info<fibersql::time_of_day>("ev", "at", {}),
      orm::detail::make_column_info<std::optional<std::string>>(
          "ev", "note",
          orm::detail::make_options<std::string>(orm::column_options::text,
                                                 orm::column_options::default_value("it's"))),
  };
  static constexpr orm::table_info info{"ev", cols};
  orm::detail::table_ref t{&info};
  EXPECT_EQ(
      orm::detail::render_create(lite, {&t, 1}),
      (strings{
          R"(CREATE TABLE IF NOT EXISTS "ev" ("s" INTEGER NOT NULL PRIMARY KEY, "i" INTEGER NOT NULL, "u" INTEGER NOT NULL, "f" REAL NOT NULL, "d" REAL NOT NULL, "b" BOOLEAN NOT NULL DEFAULT 0, "blob" BLOB NOT NULL, "key" BLOB NOT NULL, "day" DATE NOT NULL, "at" TIME NOT NULL, "note" TEXT DEFAULT 'it''s'))"}));
  EXPECT_EQ(orm::detail::render_create(my8, {&t, 1}),
            (strings{"CREATE TABLE IF NOT EXISTS `ev` (`s` SMALLINT NOT NULL PRIMARY KEY, `i` INT NOT NULL, `u` BIGINT "
                     "UNSIGNED NOT NULL, `f` FLOAT NOT NULL, `d` DOUBLE NOT NULL, `b` BOOLEAN NOT NULL DEFAULT 0, "
                     "`blob` LONGBLOB NOT NULL, `key` VARBINARY(16) NOT NULL, `day` DATE NOT NULL, `at` TIME(6) NOT "
                     "NULL, `note` TEXT DEFAULT ('it''s'))"}));
  const std::string m = orm::detail::render_create(maria, {&t, 1}).front();
  EXPECT_EQ(m.substr(m.rfind("`note`")), "`note` TEXT DEFAULT 'it''s')");
}

TEST(OrmSchema, TextKeysRefusedOnMySql) {
  static constexpr orm::column_info cols[] = {orm::detail::make_column_info<std::string>(
      "docs", "body", orm::detail::make_options<std::string>(orm::column_options::text, orm::column_options::unique))};
  static constexpr orm::table_info info{"docs", cols};
  orm::detail::table_ref t{&info};
  EXPECT_EQ(orm::detail::render_create(lite, {&t, 1}),
            (strings{R"(CREATE TABLE IF NOT EXISTS "docs" ("body" TEXT NOT NULL UNIQUE))"}));
  EXPECT_THROW((void)orm::detail::render_create(my8, {&t, 1}), fibersql::programming_error);
  EXPECT_THROW((void)orm::detail::render_create(maria, {&t, 1}), fibersql::programming_error);
}

}  // namespace
