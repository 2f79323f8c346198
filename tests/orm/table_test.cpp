// FIBERSQL_TABLE's expansion and the hand-written table struct it stands for (docs/orm.md):
// typed column handles, constant metadata, options, the ADL hook and aliases.
#include <gtest/gtest.h>

#include <fibersql/sql/errors.hpp>

#include "models.hpp"
#include "sql_assert.hpp"

namespace {
using namespace app;

// The documented hand-written form of a table struct (what FIBERSQL_TABLE expands to).
struct note {
  std::int64_t id = 0;
  std::string body;
  std::optional<std::int64_t> author_id;
};
namespace notes_detail {
using namespace fibersql::orm::column_options;
inline constexpr orm::column_info columns[] = {
    orm::detail::make_column_info<std::int64_t>("notes", "id", orm::detail::make_options<std::int64_t>(auto_increment)),
    orm::detail::make_column_info<std::string>("notes", "body",
                                               orm::detail::make_options<std::string>(max_length(500))),
    orm::detail::make_column_info<std::optional<std::int64_t>>(
        "notes", "author_id",
        orm::detail::make_options<std::optional<std::int64_t>>(references(users.id), on_delete(set_null))),
};
inline constexpr orm::table_info info{"notes", columns};
}  // namespace notes_detail
struct notes_table {
  orm::column<note, std::int64_t> id{&note::id, &notes_detail::columns[0]};
  orm::column<note, std::string> body{&note::body, &notes_detail::columns[1]};
  orm::column<note, std::optional<std::int64_t>> author_id{&note::author_id, &notes_detail::columns[2]};
  using fibersql_model = note;
  static constexpr const orm::table_info& fibersql_info = notes_detail::info;
  template <class S, class F>
  static constexpr void fibersql_each(S& t, F&& f) {
    f(t.id);
    f(t.body);
    f(t.author_id);
  }
};
inline constexpr notes_table notes{};
constexpr const notes_table& fibersql_table_of(const note*) {
  return notes;
}

TEST(OrmTable, ColumnHandlesAreTyped) {
  static_assert(std::is_same_v<decltype(users.username), orm::column<user, std::string>>);
  static_assert(std::is_same_v<decltype(users.email), orm::column<user, std::optional<std::string>>>);
  static_assert(std::is_same_v<decltype(tweets.is_published)::member_type, bool>);
  static_assert(users.username.member == &user::username);
  EXPECT_EQ(users.username.info->name, "username");
}

TEST(OrmTable, MetadataIsConstant) {
  static_assert(users.username.info->options.unique);
  static_assert(users.username.info->options.max_length == 64);
  static_assert(users.id.info->options.auto_increment);
  static_assert(users.joined.info->options.default_now);
  static_assert(users.email.info->nullable);
  static_assert(!users.username.info->nullable);
  static_assert(users.login_count.info->options.default_value.integer == 0);
  static_assert(tweets.user_id.info->options.references.target == users.id.info);
  static_assert(tweets.user_id.info->options.references.on_delete == orm::fk_action::cascade);
  static_assert(tweets.content.info->options.text);
  static_assert(categories.parent_id.info->options.references.self);
  static_assert(departments.manager_id.info->options.references.deferred);
  static_assert(departments.title.info->name == "name");
  static_assert(departments.title.info->member == "title");
  static_assert(accounts.fibersql_info.name == "app_accounts");
  static_assert(users.fibersql_info.columns.size() == 5);
  static_assert(orm::detail::meta_of(tweet_tags)->keys[0].k == orm::key_info::kind::primary_key);
  static_assert(orm::detail::meta_of(users) == nullptr);
  static_assert(accounts.balance.info->options.default_value.real == 0.5);
  EXPECT_EQ(users.fibersql_info.columns[1].table, "users");
}

TEST(OrmTable, FindsTheTableOfAModel) {
  static_assert(&fibersql_table_of(static_cast<const user*>(nullptr)) == &users);
  static_assert(&fibersql_table_of(static_cast<const note*>(nullptr)) == &notes);
}

TEST(OrmTable, HandWrittenFormRenders) {
  EXPECT_SQL(
      orm::select(notes).where(notes.author_id.is_null()).sql(orm::sqlite()),
      R"(SELECT "notes"."id", "notes"."body", "notes"."author_id" FROM "notes" WHERE ("notes"."author_id" IS NULL))",
      {});
  EXPECT_SQL(orm::select(notes.body, users.username).join(users).sql(orm::mariadb()),
             "SELECT `notes`.`body`, `users`.`username` FROM `notes` INNER JOIN `users` ON (`notes`.`author_id` = "
             "`users`.`id`)",
             {});
  EXPECT_SQL(orm::insert_into(notes).values(note{.body = "hi"}).sql(orm::sqlite()),
             R"(INSERT INTO "notes" ("body", "author_id") VALUES (?, ?))", {"text:hi", "null"});
  EXPECT_EQ(orm::schema_sql(orm::mysql(), notes, users).at(1),
            "CREATE TABLE IF NOT EXISTS `notes` (`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, `body` VARCHAR(500) "
            "NOT NULL, `author_id` BIGINT, CONSTRAINT `fk_notes_author_id` FOREIGN KEY (`author_id`) REFERENCES "
            "`users` (`id`) ON DELETE SET NULL)");
}

TEST(OrmTable, AliasRequalifiesEveryColumn) {
  const auto u2 = orm::alias(users, "u2");
  EXPECT_EQ(u2.username.qualifier, "u2");
  EXPECT_EQ(u2.id.qualifier, "u2");
  EXPECT_EQ(users.id.qualifier, "");
  EXPECT_SQL(orm::select(u2.id).where(u2.id == 1).sql(orm::sqlite()),
             R"(SELECT "u2"."id" FROM "users" AS "u2" WHERE ("u2"."id" = ?))", {"int:1"});
}

TEST(OrmTable, IdentifiersAreQuotedSafely) {
  struct odd {
    std::int64_t id = 0;
  };
  static constexpr orm::column_info cols[] = {orm::detail::make_column_info<std::int64_t>("we\"ird`t", "id", {})};
  static constexpr orm::table_info info{"we\"ird`t", cols};
  orm::detail::table_ref t{&info};
  EXPECT_EQ(orm::detail::render_drop(orm::sqlite(), {&t, 1}).front(), R"(DROP TABLE IF EXISTS "we""ird`t")");
  EXPECT_EQ(orm::detail::render_drop(orm::mysql(), {&t, 1}).front(), "DROP TABLE IF EXISTS `we\"ird``t`");
  // Quotes first, last and side by side, each doubled in place.
  static constexpr orm::table_info runs{"\"`\"\"``", cols};
  orm::detail::table_ref r{&runs};
  EXPECT_EQ(orm::detail::render_drop(orm::sqlite(), {&r, 1}).front(), "DROP TABLE IF EXISTS \"\"\"`\"\"\"\"``\"");
  EXPECT_EQ(orm::detail::render_drop(orm::mysql(), {&r, 1}).front(), "DROP TABLE IF EXISTS `\"``\"\"`````");
}

TEST(OrmDialect, FromTheConnectionsServer) {
  EXPECT_EQ(orm::dialect_of({fibersql::server_flavor::sqlite, 3, 40, 1}), orm::sqlite({3, 40, 1}));
  EXPECT_EQ(orm::dialect_of({fibersql::server_flavor::mariadb, 10, 11, 6}), orm::mariadb({10, 11, 6}));
  EXPECT_EQ(orm::dialect_of({fibersql::server_flavor::mysql, 8, 0, 36}), orm::mysql({8, 0, 36}));
  EXPECT_THROW((void)orm::dialect_of({}), fibersql::not_supported_error);
}

}  // namespace
