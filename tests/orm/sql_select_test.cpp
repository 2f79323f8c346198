// SELECT rendering without a database: every clause, expressions and operators, and the
// dialect differences of design §7.4 (quoting, concat, LIKE escapes, OFFSET, locks, joins).
#include <gtest/gtest.h>

#include <fibersql/sql/errors.hpp>

#include "models.hpp"
#include "sql_assert.hpp"

namespace {
using namespace app;
namespace fn = fibersql::orm::fn;

const auto lite = orm::sqlite();
const auto maria = orm::mariadb();
const auto my8 = orm::mysql();

constexpr const char* user_cols =
    R"("users"."id", "users"."username", "users"."email", "users"."joined", "users"."login_count")";
constexpr const char* user_cols_my =
    "`users`.`id`, `users`.`username`, `users`.`email`, `users`.`joined`, `users`.`login_count`";

std::string lite_users(const std::string& rest) {
  return std::string("SELECT ") + user_cols + R"( FROM "users")" + rest;
}
std::string my_users(const std::string& rest) {
  return std::string("SELECT ") + user_cols_my + " FROM `users`" + rest;
}

TEST(OrmSelect, WholeModel) {
  EXPECT_SQL(orm::select(users).sql(lite), lite_users(""), {});
  EXPECT_SQL(orm::select(users).sql(maria), my_users(""), {});
  EXPECT_SQL(orm::select(users).sql(my8), my_users(""), {});
}

TEST(OrmSelect, WhereEqualsBindsTheValue) {
  EXPECT_SQL(orm::select(users).where(users.id == 1).sql(lite), lite_users(R"( WHERE ("users"."id" = ?))"), {"int:1"});
  EXPECT_SQL(orm::select(users).where(users.id == 1).sql(my8), my_users(" WHERE (`users`.`id` = ?)"), {"int:1"});
}

TEST(OrmSelect, ValuesAreNeverPastedIntoText) {
  auto q = orm::select(users).where(users.username == "x'); DROP TABLE users; --");
  EXPECT_SQL(q.sql(lite), lite_users(R"( WHERE ("users"."username" = ?))"), {"text:x'); DROP TABLE users; --"});
}

TEST(OrmSelect, Columns) {
  EXPECT_SQL(orm::select(users.id, users.username).sql(lite), R"(SELECT "users"."id", "users"."username" FROM "users")",
             {});
  EXPECT_SQL(orm::select(users.username).sql(maria), "SELECT `users`.`username` FROM `users`", {});
}

TEST(OrmSelect, EveryComparison) {
  auto t = [](auto cond) { return orm::select(users.id).where(cond).sql(orm::sqlite()); };
  EXPECT_SQL(t(users.id != 2), R"(SELECT "users"."id" FROM "users" WHERE ("users"."id" <> ?))", {"int:2"});
  EXPECT_SQL(t(users.id < 3), R"(SELECT "users"."id" FROM "users" WHERE ("users"."id" < ?))", {"int:3"});
  EXPECT_SQL(t(users.id <= 4), R"(SELECT "users"."id" FROM "users" WHERE ("users"."id" <= ?))", {"int:4"});
  EXPECT_SQL(t(users.id > 5), R"(SELECT "users"."id" FROM "users" WHERE ("users"."id" > ?))", {"int:5"});
  EXPECT_SQL(t(users.id >= 6), R"(SELECT "users"."id" FROM "users" WHERE ("users"."id" >= ?))", {"int:6"});
  EXPECT_SQL(t(7 < users.id), R"(SELECT "users"."id" FROM "users" WHERE (? < "users"."id"))", {"int:7"});
  EXPECT_SQL(t(users.id == users.login_count),
             R"(SELECT "users"."id" FROM "users" WHERE ("users"."id" = "users"."login_count"))", {});
}

TEST(OrmSelect, ComparableTypes) {
  auto t = [](auto cond) { return orm::select(users.id).where(cond).sql(orm::sqlite()); };
  EXPECT_SQL(t(users.id == 2.5), R"(SELECT "users"."id" FROM "users" WHERE ("users"."id" = ?))", {"real:2.500000"});
  std::string name = "ann";
  EXPECT_SQL(t(users.username == name), R"(SELECT "users"."id" FROM "users" WHERE ("users"."username" = ?))",
             {"text:ann"});
  EXPECT_SQL(t(users.email == std::string_view("a@b")),
             R"(SELECT "users"."id" FROM "users" WHERE ("users"."email" = ?))", {"text:a@b"});
  EXPECT_SQL(t(tweets.is_published == false), R"(SELECT "users"."id" FROM "users" WHERE ("tweets"."is_published" = ?))",
             {"bool:0"});
  fibersql::datetime when{std::chrono::seconds(86400)};
  EXPECT_SQL(t(users.joined > when), R"(SELECT "users"."id" FROM "users" WHERE ("users"."joined" > ?))",
             {"datetime:1970-01-02 00:00:00"});
  EXPECT_SQL(t(accounts.visits == 3u), R"(SELECT "users"."id" FROM "users" WHERE ("app_accounts"."visits" = ?))",
             {"int:3"});
}

TEST(OrmSelect, LogicalOperators) {
  auto q = orm::select(users.id).where((users.id == 1 || users.id == 2) && !(users.username == "x"));
  EXPECT_SQL(
      q.sql(lite),
      R"(SELECT "users"."id" FROM "users" WHERE ((("users"."id" = ?) OR ("users"."id" = ?)) AND (NOT ("users"."username" = ?))))",
      {"int:1", "int:2", "text:x"});
  EXPECT_SQL(orm::select(tweets.id).where(tweets.is_published).sql(lite),
             R"(SELECT "tweets"."id" FROM "tweets" WHERE "tweets"."is_published")", {});
  EXPECT_SQL(orm::select(tweets.id).where(!tweets.is_published && tweets.user_id == 3).sql(my8),
             "SELECT `tweets`.`id` FROM `tweets` WHERE ((NOT `tweets`.`is_published`) AND (`tweets`.`user_id` = ?))",
             {"int:3"});
}

TEST(OrmSelect, SeveralWheresAreAnded) {
  auto q = orm::select(users.id).where(users.id > 1).where(users.id < 9);
  EXPECT_SQL(q.sql(lite), R"(SELECT "users"."id" FROM "users" WHERE (("users"."id" > ?) AND ("users"."id" < ?)))",
             {"int:1", "int:9"});
}

TEST(OrmSelect, Arithmetic) {
  auto q = orm::select((users.login_count + 1).as("next"), users.login_count * 2 - users.id, accounts.balance / 2);
  EXPECT_SQL(
      q.sql(lite),
      R"(SELECT ("users"."login_count" + ?) AS "next", (("users"."login_count" * ?) - "users"."id"), ("app_accounts"."balance" / ?) FROM "users")",
      {"int:1", "int:2", "int:2"});
  static_assert(std::is_same_v<decltype(accounts.balance / 2)::fibersql_expr_type, double>);
  static_assert(std::is_same_v<decltype(users.login_count + 1)::fibersql_expr_type, std::int64_t>);
}

TEST(OrmSelect, InListAndEmptyIn) {
  auto t = [](auto cond) { return orm::select(users.id).where(cond).sql(orm::sqlite()); };
  EXPECT_SQL(t(users.id.in({1, 2, 3})), R"(SELECT "users"."id" FROM "users" WHERE ("users"."id" IN (?, ?, ?)))",
             {"int:1", "int:2", "int:3"});
  std::vector<std::string> names{"a", "b"};
  EXPECT_SQL(t(users.username.not_in(names)),
             R"(SELECT "users"."id" FROM "users" WHERE ("users"."username" NOT IN (?, ?)))", {"text:a", "text:b"});
  std::vector<std::int64_t> none;
  EXPECT_SQL(t(users.id.in(none)), R"(SELECT "users"."id" FROM "users" WHERE (0 = 1))", {});
  EXPECT_SQL(t(users.id.not_in(none)), R"(SELECT "users"."id" FROM "users" WHERE (1 = 1))", {});
}

TEST(OrmSelect, InSubquery) {
  auto spam = orm::select(users.id).where(users.username.starts_with("spam"));
  auto q = orm::select(tweets.id).where(tweets.user_id.in(spam));
  EXPECT_SQL(
      q.sql(lite),
      R"(SELECT "tweets"."id" FROM "tweets" WHERE ("tweets"."user_id" IN (SELECT "users"."id" FROM "users" WHERE ("users"."username" LIKE ? ESCAPE '\'))))",
      {"text:spam%"});
  EXPECT_SQL(orm::select(tweets.id).where(tweets.user_id.not_in(spam)).sql(my8),
             "SELECT `tweets`.`id` FROM `tweets` WHERE (`tweets`.`user_id` NOT IN (SELECT `users`.`id` FROM `users` "
             "WHERE (`users`.`username` LIKE ?)))",
             {"text:spam%"});
}

TEST(OrmSelect, ModifiersNeverChangeAQueryThatIsShared) {
  // A temporary's where/order_by/limit add to its own clauses; a query something else holds
  // (a copy, a subquery) is copied first, so what it renders stays as it was.
  auto base = orm::select(users.id);
  const auto copy = base;
  const auto filtered = std::move(base).where(users.id == 1).order_by(users.id).limit(5);
  EXPECT_SQL(copy.sql(lite), R"(SELECT "users"."id" FROM "users")", {});
  EXPECT_SQL(filtered.sql(lite),
             R"(SELECT "users"."id" FROM "users" WHERE ("users"."id" = ?) ORDER BY "users"."id" LIMIT ?)",
             {"int:1", "int:5"});

  // A named condition is never taken over by the query it goes into, const or not.
  auto named = users.id == 2;
  const auto first = orm::select(users.id).where(named);
  const auto second = orm::select(users.id).where(named);
  EXPECT_SQL(first.sql(lite), R"(SELECT "users"."id" FROM "users" WHERE ("users"."id" = ?))", {"int:2"});
  EXPECT_SQL(second.sql(lite), R"(SELECT "users"."id" FROM "users" WHERE ("users"."id" = ?))", {"int:2"});

  auto inner = orm::select(users.id).where(users.login_count > 3);
  const auto outer = orm::select(tweets.id).where(tweets.user_id.in(inner));
  const auto narrowed = std::move(inner).where(users.id < 10).limit(1);
  EXPECT_SQL(
      outer.sql(lite),
      R"(SELECT "tweets"."id" FROM "tweets" WHERE ("tweets"."user_id" IN (SELECT "users"."id" FROM "users" WHERE ("users"."login_count" > ?))))",
      {"int:3"});
  EXPECT_SQL(narrowed.sql(lite),
             R"(SELECT "users"."id" FROM "users" WHERE (("users"."login_count" > ?) AND ("users"."id" < ?)) LIMIT ?)",
             {"int:3", "int:10", "int:1"});
}

TEST(OrmSelect, ExistsAndScalarSubquery) {
  auto has_tweets = orm::exists(orm::select(tweets.id).where(tweets.user_id == users.id));
  EXPECT_SQL(
      orm::select(users.username).where(has_tweets).sql(lite),
      R"(SELECT "users"."username" FROM "users" WHERE (EXISTS (SELECT "tweets"."id" FROM "tweets" WHERE ("tweets"."user_id" = "users"."id"))))",
      {});
  EXPECT_SQL(orm::select(users.username)
                 .where(orm::not_exists(orm::select(tweets.id).where(tweets.user_id == users.id)))
                 .sql(maria),
             "SELECT `users`.`username` FROM `users` WHERE (NOT EXISTS (SELECT `tweets`.`id` FROM `tweets` WHERE "
             "(`tweets`.`user_id` = `users`.`id`)))",
             {});
  auto latest = orm::scalar(orm::select(fn::max(tweets.created)).where(tweets.user_id == users.id));
  EXPECT_SQL(
      orm::select(users.username, latest.as("latest")).sql(lite),
      R"(SELECT "users"."username", (SELECT MAX("tweets"."created") FROM "tweets" WHERE ("tweets"."user_id" = "users"."id")) AS "latest" FROM "users")",
      {});
}

TEST(OrmSelect, LikeContainsEscapesWildcards) {
  auto t = [](auto cond, const orm::dialect& d) { return orm::select(users.id).where(cond).sql(d); };
  EXPECT_SQL(t(users.username.like("a_%"), lite),
             R"(SELECT "users"."id" FROM "users" WHERE ("users"."username" LIKE ?))", {"text:a_%"});
  EXPECT_SQL(t(users.username.contains("50%_off\\"), lite),
             R"(SELECT "users"."id" FROM "users" WHERE ("users"."username" LIKE ? ESCAPE '\'))",
             {"text:%50\\%\\_off\\\\%"});
  EXPECT_SQL(t(users.username.contains("50%"), my8),
             "SELECT `users`.`id` FROM `users` WHERE (`users`.`username` LIKE ?)", {"text:%50\\%%"});
  EXPECT_SQL(t(users.username.starts_with("an"), maria),
             "SELECT `users`.`id` FROM `users` WHERE (`users`.`username` LIKE ?)", {"text:an%"});
  EXPECT_SQL(t(users.email.ends_with("@x.org"), lite),
             R"(SELECT "users"."id" FROM "users" WHERE ("users"."email" LIKE ? ESCAPE '\'))", {"text:%@x.org"});
}

TEST(OrmSelect, BetweenAndNull) {
  auto t = [](auto cond) { return orm::select(users.id).where(cond).sql(orm::sqlite()); };
  EXPECT_SQL(t(users.login_count.between(1, 10)),
             R"(SELECT "users"."id" FROM "users" WHERE ("users"."login_count" BETWEEN ? AND ?))", {"int:1", "int:10"});
  EXPECT_SQL(t(users.email.is_null()), R"(SELECT "users"."id" FROM "users" WHERE ("users"."email" IS NULL))", {});
  EXPECT_SQL(t(users.email.is_not_null()), R"(SELECT "users"."id" FROM "users" WHERE ("users"."email" IS NOT NULL))",
             {});
}

TEST(OrmSelect, OrderLimitOffset) {
  auto q = orm::select(users.id).order_by(users.username, users.id.desc(), users.joined.asc()).limit(10).offset(20);
  EXPECT_SQL(
      q.sql(lite),
      R"(SELECT "users"."id" FROM "users" ORDER BY "users"."username", "users"."id" DESC, "users"."joined" LIMIT ? OFFSET ?)",
      {"int:10", "int:20"});
  EXPECT_SQL(orm::select(users.id).limit(5).sql(my8), "SELECT `users`.`id` FROM `users` LIMIT ?", {"int:5"});
}

TEST(OrmSelect, OffsetWithoutLimitPerDialect) {
  EXPECT_SQL(orm::select(users.id).offset(3).sql(lite), R"(SELECT "users"."id" FROM "users" LIMIT -1 OFFSET ?)",
             {"int:3"});
  EXPECT_SQL(orm::select(users.id).offset(3).sql(maria),
             "SELECT `users`.`id` FROM `users` LIMIT 18446744073709551615 OFFSET ?", {"int:3"});
  EXPECT_SQL(orm::select(users.id).offset(3).sql(my8),
             "SELECT `users`.`id` FROM `users` LIMIT 18446744073709551615 OFFSET ?", {"int:3"});
}

TEST(OrmSelect, PaginateIsOneBased) {
  EXPECT_SQL(orm::select(users.id).paginate(1, 20).sql(lite), R"(SELECT "users"."id" FROM "users" LIMIT ? OFFSET ?)",
             {"int:20", "int:0"});
  EXPECT_SQL(orm::select(users.id).paginate(3, 20).sql(lite), R"(SELECT "users"."id" FROM "users" LIMIT ? OFFSET ?)",
             {"int:20", "int:40"});
}

TEST(OrmSelect, Distinct) {
  EXPECT_SQL(orm::select(tweets.user_id).distinct().sql(lite), R"(SELECT DISTINCT "tweets"."user_id" FROM "tweets")",
             {});
}

TEST(OrmSelect, GroupByHavingAggregates) {
  auto q = orm::select(users.username, fn::count(tweets.id))
               .left_join(tweets)
               .group_by(users.id)
               .having(fn::count(tweets.id) > 5)
               .order_by(fn::count(tweets.id).desc());
  EXPECT_SQL(
      q.sql(lite),
      R"(SELECT "users"."username", COUNT("tweets"."id") FROM "users" LEFT OUTER JOIN "tweets" ON ("tweets"."user_id" = "users"."id") GROUP BY "users"."id" HAVING (COUNT("tweets"."id") > ?) ORDER BY COUNT("tweets"."id") DESC)",
      {"int:5"});
  using row = decltype(q)::row_type;
  static_assert(std::is_same_v<row, std::tuple<std::string, std::int64_t>>);
}

TEST(OrmSelect, AggregatesAreNullableWhereSqlIs) {
  auto q = orm::select(fn::count(), fn::sum(users.login_count), fn::avg(users.login_count), fn::min(users.joined),
                       fn::max(users.id))
               .from(users);
  EXPECT_SQL(
      q.sql(lite),
      R"(SELECT COUNT(*), SUM("users"."login_count"), AVG("users"."login_count"), MIN("users"."joined"), MAX("users"."id") FROM "users")",
      {});
  using row = decltype(q)::row_type;
  static_assert(std::is_same_v<row, std::tuple<std::int64_t, std::optional<std::int64_t>, std::optional<double>,
                                               std::optional<fibersql::datetime>, std::optional<std::int64_t>>>);
}

TEST(OrmSelect, CommonFunctionsAndEscapeHatch) {
  auto q = orm::select(fn::lower(users.username), fn::upper(users.username), fn::length(users.username),
                       fn::coalesce(users.email, "none"), fn::call<std::int64_t>("INSTR", users.username, "a"));
  EXPECT_SQL(
      q.sql(lite),
      R"(SELECT LOWER("users"."username"), UPPER("users"."username"), LENGTH("users"."username"), COALESCE("users"."email", ?), INSTR("users"."username", ?) FROM "users")",
      {"text:none", "text:a"});
  static_assert(std::is_same_v<decltype(fn::coalesce(users.email, "none"))::fibersql_expr_type, std::string>);
}

TEST(OrmSelect, RawFragmentsFromLiterals) {
  auto q = orm::select(users.id).where(users.joined > orm::sql<fibersql::datetime>("CURRENT_TIMESTAMP - 3600"));
  EXPECT_SQL(q.sql(lite), R"(SELECT "users"."id" FROM "users" WHERE ("users"."joined" > CURRENT_TIMESTAMP - 3600))",
             {});
  EXPECT_SQL(orm::select(users.id).where(users.joined < fn::now()).sql(my8),
             "SELECT `users`.`id` FROM `users` WHERE (`users`.`joined` < CURRENT_TIMESTAMP)", {});
}

TEST(OrmSelect, ConcatPerDialect) {
  auto q = orm::select(orm::concat(users.username, "!"));
  EXPECT_SQL(q.sql(lite), R"(SELECT ("users"."username" || ?) FROM "users")", {"text:!"});
  EXPECT_SQL(q.sql(my8), "SELECT CONCAT(`users`.`username`, ?) FROM `users`", {"text:!"});
  EXPECT_SQL(q.sql(maria), "SELECT CONCAT(`users`.`username`, ?) FROM `users`", {"text:!"});
}

TEST(OrmSelect, AliasInOrderByIsTheName) {
  auto n = fn::count(tweets.id).as("n");
  auto q = orm::select(tweets.user_id, n).group_by(tweets.user_id).order_by(n.desc());
  EXPECT_SQL(
      q.sql(lite),
      R"(SELECT "tweets"."user_id", COUNT("tweets"."id") AS "n" FROM "tweets" GROUP BY "tweets"."user_id" ORDER BY "n" DESC)",
      {});
}

TEST(OrmSelect, JoinInfersOnFromTheReference) {
  auto q = orm::select(tweets, users).join(users).where(users.username == "ann");
  EXPECT_SQL(
      q.sql(lite),
      R"(SELECT "tweets"."id", "tweets"."user_id", "tweets"."content", "tweets"."created", "tweets"."is_published", )" +
          std::string(user_cols) +
          R"( FROM "tweets" INNER JOIN "users" ON ("tweets"."user_id" = "users"."id") WHERE ("users"."username" = ?))",
      {"text:ann"});
  static_assert(std::is_same_v<decltype(q)::row_type, std::tuple<tweet, user>>);
  // Either direction: from users, joining the table that references it.
  EXPECT_SQL(orm::select(users.username, tweets.content).join(tweets).sql(my8),
             "SELECT `users`.`username`, `tweets`.`content` FROM `users` INNER JOIN `tweets` ON (`tweets`.`user_id` = "
             "`users`.`id`)",
             {});
}

TEST(OrmSelect, JoinChainsThroughSeveralTables) {
  auto q = orm::select(tweet_tags.tag, users.username).join(tweets).join(users);
  EXPECT_SQL(
      q.sql(lite),
      R"(SELECT "tweet_tags"."tag", "users"."username" FROM "tweet_tags" INNER JOIN "tweets" ON ("tweet_tags"."tweet_id" = "tweets"."id") INNER JOIN "users" ON ("tweets"."user_id" = "users"."id"))",
      {});
}

TEST(OrmSelect, JoinWithExplicitOnAndAlias) {
  const auto parent = orm::alias(categories, "parent");
  auto q = orm::select(categories.name, parent.name).left_join(parent, categories.parent_id == parent.id);
  EXPECT_SQL(
      q.sql(lite),
      R"(SELECT "categories"."name", "parent"."name" FROM "categories" LEFT OUTER JOIN "categories" AS "parent" ON ("categories"."parent_id" = "parent"."id"))",
      {});
  EXPECT_SQL(q.sql(maria),
             "SELECT `categories`.`name`, `parent`.`name` FROM `categories` LEFT OUTER JOIN `categories` AS `parent` "
             "ON (`categories`.`parent_id` = `parent`.`id`)",
             {});
}

TEST(OrmSelect, AmbiguousJoinNamesTheCandidates) {
  const auto parent = orm::alias(categories, "parent");
  try {
    (void)orm::select(categories.name).join(parent);
    FAIL() << "expected programming_error";
  } catch (const fibersql::programming_error& e) {
    EXPECT_STREQ(e.what(),
                 "fibersql::orm: join(parent): ambiguous, candidates: parent.parent_id -> categories.id, "
                 "categories.parent_id -> parent.id; give an ON condition");
  }
  EXPECT_THROW((void)orm::select(users.id).join(accounts), fibersql::programming_error);
}

TEST(OrmSelect, FullJoinOnlyWhereSupported) {
  auto q = orm::select(users.id).full_join(tweets, tweets.user_id == users.id);
  EXPECT_SQL(q.sql(lite),
             R"(SELECT "users"."id" FROM "users" FULL OUTER JOIN "tweets" ON ("tweets"."user_id" = "users"."id"))", {});
  EXPECT_THROW((void)q.sql(my8), fibersql::not_supported_error);
  EXPECT_THROW((void)q.sql(maria), fibersql::not_supported_error);
  EXPECT_THROW((void)q.sql(orm::sqlite({3, 38, 0})), fibersql::not_supported_error);
}

TEST(OrmSelect, LocksPerDialect) {
  auto q = orm::select(users.id).where(users.id == 1);
  EXPECT_SQL(q.for_update().sql(lite), R"(SELECT "users"."id" FROM "users" WHERE ("users"."id" = ?))", {"int:1"});
  EXPECT_SQL(q.for_update().sql(my8), "SELECT `users`.`id` FROM `users` WHERE (`users`.`id` = ?) FOR UPDATE",
             {"int:1"});
  EXPECT_SQL(q.for_share().sql(my8), "SELECT `users`.`id` FROM `users` WHERE (`users`.`id` = ?) FOR SHARE", {"int:1"});
  EXPECT_SQL(q.for_share().sql(maria), "SELECT `users`.`id` FROM `users` WHERE (`users`.`id` = ?) LOCK IN SHARE MODE",
             {"int:1"});
}

TEST(OrmSelect, QueriesAreValues) {
  auto base = orm::select(users.id).where(users.id > 1);
  auto limited = base.limit(3);
  EXPECT_SQL(base.sql(lite), R"(SELECT "users"."id" FROM "users" WHERE ("users"."id" > ?))", {"int:1"});
  EXPECT_SQL(limited.sql(lite), R"(SELECT "users"."id" FROM "users" WHERE ("users"."id" > ?) LIMIT ?)",
             {"int:1", "int:3"});
}

TEST(OrmSelect, TableAndColumnSqlNames) {
  EXPECT_SQL(orm::select(accounts.email).where(accounts.owner == 2).sql(lite),
             R"(SELECT "app_accounts"."email" FROM "app_accounts" WHERE ("app_accounts"."owner" = ?))", {"int:2"});
  EXPECT_SQL(orm::select(departments.title).sql(my8), "SELECT `departments`.`name` FROM `departments`", {});
}

TEST(OrmSelect, NoTableIsAnError) {
  EXPECT_THROW((void)orm::select(fn::count()).sql(lite), fibersql::programming_error);
  EXPECT_SQL(orm::select(fn::count()).from(tweets).where(tweets.user_id == 4).sql(lite),
             R"(SELECT COUNT(*) FROM "tweets" WHERE ("tweets"."user_id" = ?))", {"int:4"});
}

}  // namespace
