// prefetch / prefetch_parents on sqlite::memory: and MariaDB: one statement per relation
// (counted by statement_counter), chunked under the parameter budget, complete against a
// naive per-parent loop, and the per-parent limit by ROW_NUMBER().
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "backend_fixture.hpp"

namespace {
using namespace app;

// ids: the ids of rows, in order.
template <class Rows>
std::vector<std::int64_t> ids(const Rows& rows) {
  std::vector<std::int64_t> out;
  for (const auto& r : rows) out.push_back(r.id);
  return out;
}

using Prefetch = OrmBackend;

TEST_P(Prefetch, FiveHundredUsersTakeTwoStatements) {
  in_db([&](fibersql::db::database& db) {
    seed(db, 500, 3);
    std::vector<user> people;
    std::uint64_t statements = 0;
    auto timeline = [&] {
      orm::statement_counter counter;
      people = orm::select(users).order_by(users.id).all(db);
      auto posts = orm::prefetch(db, people, tweets.user_id, orm::select(tweets).order_by(tweets.id));
      statements = counter.count();
      return posts;
    }();
    EXPECT_EQ(statements, 2u);
    ASSERT_EQ(people.size(), 500u);
    std::size_t total = 0;
    for (const user& u : people) {
      const auto naive = orm::select(tweets).where(tweets.user_id == u.id).order_by(tweets.id).all(db);
      EXPECT_EQ(ids(timeline.children_of(u)), ids(naive)) << u.username;
      total += naive.size();
    }
    EXPECT_EQ(timeline.size(), total);
    EXPECT_EQ(total, 500u / 4 * (0 + 1 + 2 + 3));
  });
}

TEST_P(Prefetch, ParentsOfChildrenInOneStatement) {
  in_db([&](fibersql::db::database& db) {
    seed(db, 50, 3);
    const std::vector<tweet> posts = orm::select(tweets).all(db);
    ASSERT_FALSE(posts.empty());
    orm::statement_counter counter;
    const auto owners = orm::prefetch_parents(db, posts, tweets.user_id, users);
    EXPECT_EQ(counter.count(), 1u);
    for (const tweet& t : posts) {
      const user* u = owners.parent_of(t);
      ASSERT_NE(u, nullptr) << t.content;
      EXPECT_EQ(u->id, t.user_id);
      EXPECT_EQ(u->username, "u" + t.content.substr(1, t.content.find('.') - 1));
    }
    // Only the users that have tweets were fetched (i % 4 == 0 has none).
    EXPECT_EQ(owners.size(), 50u - 13u);
  });
}

TEST_P(Prefetch, ChunksUnderAForcedBudgetStayComplete) {
  in_db([&](fibersql::db::database& db) {
    const std::vector<user> people = seed(db, 500, 3);
    orm::statement_counter counter;
    const auto posts = orm::prefetch(db, people, tweets.user_id, {.max_keys = 64});
    EXPECT_EQ(counter.count(), (500u + 63u) / 64u);  // ceil(500 / 64) = 8
    EXPECT_EQ(posts.size(), orm::select(tweets).all(db).size());
    for (const user& u : people) EXPECT_EQ(posts.children_of(u).size(), static_cast<std::size_t>(&u - &people[0]) % 4);
  });
}

// More keys than one statement may bind: SQLite's 32,766 variables; MySQL/MariaDB's 1 MiB
// estimate (28 bytes per integer key: 37,449 keys).
TEST_P(Prefetch, MoreKeysThanOneStatementTakes) {
  in_db([&](fibersql::db::database& db) {
    const std::vector<user> people = seed(db, 40'000, 1);
    orm::statement_counter counter;
    const auto posts = orm::prefetch(db, people, tweets.user_id);
    EXPECT_EQ(counter.count(), 2u);
    EXPECT_EQ(posts.size(), 20'000u);
    EXPECT_EQ(posts.children_of(people[39'999]).size(), 1u);
    EXPECT_EQ(posts.children_of(people[39'998]).size(), 0u);
  });
}

TEST_P(Prefetch, NewestThreeOfEachUserMatchANaiveLoop) {
  in_db([&](fibersql::db::database& db) {
    const std::vector<user> people = seed(db, 20, 7);
    const auto newest_first = orm::select(tweets).order_by(tweets.created.desc(), tweets.id.desc());
    orm::statement_counter counter;
    const auto latest = orm::prefetch(db, people, tweets.user_id, newest_first, {.per_parent = 3});
    EXPECT_EQ(counter.count(), 1u);
    std::size_t total = 0;
    for (const user& u : people) {
      const auto naive = newest_first.where(tweets.user_id == u.id).limit(3).all(db);
      EXPECT_EQ(ids(latest.children_of(u)), ids(naive)) << u.username;
      total += naive.size();
    }
    EXPECT_EQ(latest.size(), total);
    EXPECT_GT(total, 20u);
    // The same through a query with a join (whole rows ranked): the same children.
    const auto via_join = orm::prefetch(db, people, tweets.user_id,
                                        newest_first.join(users).where(users.login_count >= 0), {.per_parent = 3});
    for (const user& u : people) EXPECT_EQ(ids(via_join.children_of(u)), ids(latest.children_of(u))) << u.username;
  });
}

TEST_P(Prefetch, MisuseIsAClearError) {
  in_db([&](fibersql::db::database& db) {
    const std::vector<user> people = seed(db, 3, 2);
    // per_parent needs an order; a LIMIT in the children query would cut across parents.
    EXPECT_THROW(orm::prefetch(db, people, tweets.user_id, {.per_parent = 3}), fibersql::programming_error);
    EXPECT_THROW(orm::prefetch(db, people, tweets.user_id, orm::select(tweets).limit(3)), fibersql::programming_error);
    // tweet_tags.tweet_id references tweets.id, not users.
    try {
      orm::prefetch(db, people, tweet_tags.tweet_id);
      ADD_FAILURE() << "prefetch by a column that references another table";
    } catch (const fibersql::programming_error& e) {
      EXPECT_NE(std::string(e.what()).find("tweet_tags.tweet_id references tweets.id, not a column of users"),
                std::string::npos)
          << e.what();
    }
    // No parents, no statement.
    orm::statement_counter counter;
    EXPECT_EQ(orm::prefetch(db, std::vector<user>{}, tweets.user_id).size(), 0u);
    EXPECT_EQ(counter.count(), 0u);
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, Prefetch, ::testing::Values(backend::sqlite_memory, backend::mariadb));

// Without window functions the per-parent limit is refused, naming what is needed.
TEST(PrefetchSql, PerParentNeedsWindowFunctions) {
  const auto q = orm::select(tweets).where(tweets.user_id.in({1, 2})).order_by(tweets.created.desc());
  try {
    orm::detail::render_prefetch(*q.fibersql_state(), orm::sqlite({3, 24, 0}), *tweets.user_id.info, 3);
    ADD_FAILURE() << "rendered ROW_NUMBER() for SQLite 3.24";
  } catch (const fibersql::not_supported_error& e) {
    EXPECT_NE(std::string(e.what()).find("ROW_NUMBER() OVER"), std::string::npos) << e.what();
  }
  EXPECT_THROW(orm::detail::render_prefetch(*q.fibersql_state(), orm::mariadb({10, 1, 0}), *tweets.user_id.info, 3),
               fibersql::not_supported_error);
  const orm::statement s = orm::detail::render_prefetch(*q.fibersql_state(), orm::mariadb(), *tweets.user_id.info, 3);
  // The keys ranked alone (no TEXT column in the derived table), the rows joined back by id.
  EXPECT_EQ(
      s.text,
      "SELECT `tweets`.`id`, `tweets`.`user_id`, `tweets`.`content`, `tweets`.`created`, `tweets`.`is_published` "
      "FROM `tweets` INNER JOIN (SELECT `tweets`.`id`, ROW_NUMBER() OVER (PARTITION BY `tweets`.`user_id` ORDER BY "
      "`tweets`.`created` DESC) AS `fibersql_rank` FROM `tweets` WHERE (`tweets`.`user_id` IN (?, ?))) AS "
      "fibersql_ranked ON fibersql_ranked.`id` = `tweets`.`id` WHERE fibersql_ranked.fibersql_rank <= ? "
      "ORDER BY fibersql_ranked.fibersql_rank");
  EXPECT_EQ(s.params.size(), 3u);
  // A query with a join ranks whole rows in a derived table.
  const auto joined = q.join(users).where(users.login_count >= 0);
  const orm::statement w =
      orm::detail::render_prefetch(*joined.fibersql_state(), orm::sqlite(), *tweets.user_id.info, 3);
  EXPECT_TRUE(w.text.starts_with("SELECT * FROM (SELECT \"tweets\".\"id\"")) << w.text;
  EXPECT_NE(w.text.find(") AS fibersql_ranked WHERE fibersql_rank <= ? ORDER BY fibersql_rank"), std::string::npos)
      << w.text;
  EXPECT_EQ(w.params.size(), 4u);
}

}  // namespace

namespace {
// A nullable self-reference (categories.parent_id, references_self): children by the
// parent's primary key, roots (NULL parent) left out, and the parents back from the children.
TEST(PrefetchSelfReference, NullableReferenceToTheSameTable) {
  fibersql::run([] {
    fibersql::db::database db{"sqlite::memory:", orm::observed()};
    orm::create_tables(db, categories);
    std::vector<category> roots{{.name = "a"}, {.name = "b"}};
    orm::insert_many(db, roots);
    std::vector<category> leaves{{.parent_id = roots[0].id, .name = "a1"},
                                 {.parent_id = roots[0].id, .name = "a2"},
                                 {.parent_id = roots[1].id, .name = "b1"}};
    orm::insert_many(db, leaves);
    orm::statement_counter counter;
    const auto children =
        orm::prefetch(db, roots, categories.parent_id, orm::select(categories).order_by(categories.name));
    const auto parents = orm::prefetch_parents(db, leaves, categories.parent_id, categories);
    EXPECT_EQ(counter.count(), 2u);
    ASSERT_EQ(children.children_of(roots[0]).size(), 2u);
    EXPECT_EQ(children.children_of(roots[0])[1].name, "a2");
    EXPECT_EQ(children.children_of(roots[1]).size(), 1u);
    EXPECT_EQ(children.children_of(leaves[0]).size(), 0u);
    EXPECT_EQ(parents.parent_of(leaves[2])->name, "b");
    EXPECT_EQ(parents.parent_of(roots[0]), nullptr);  // a root has no parent
  });
}
}  // namespace
