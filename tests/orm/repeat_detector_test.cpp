// repeat_detector on sqlite::memory: and MariaDB: a get-by-id loop fires it once, with the
// fiber, the SQL, the count and a prefetch hint; the prefetch version never does; another
// fiber's loop does not reach this fiber's detector; lookup shapes fold IN lists.
#include <gtest/gtest.h>

#include <vector>

#include "backend_fixture.hpp"

namespace {
using namespace app;

struct recorded {
  std::uint64_t fiber_id = 0;
  std::string fiber_name, sql, hint;
  std::uint64_t count = 0;
};

orm::repeat_options recording(std::vector<recorded>& out, std::uint64_t threshold = 10) {
  return {.threshold = threshold, .on_repeat = [&out](const orm::repeat_report& r) {
            out.push_back({r.fiber_id, std::string(r.fiber_name), std::string(r.sql), std::string(r.hint), r.count});
          }};
}

using RepeatDetector = OrmBackend;

TEST_P(RepeatDetector, GetByIdLoopFiresOnceWithAHint) {
  in_db([&](fibersql::db::database& db) {
    seed(db, 100, 2);
    const std::vector<tweet> posts = orm::select(tweets).order_by(tweets.id).all(db);
    ASSERT_GE(posts.size(), 99u);
    std::vector<recorded> fired;
    std::uint64_t loop_fiber = 0;
    fibersql::spawn(
        [&] {
          loop_fiber = fibersql::this_fiber::id();
          orm::repeat_detector detector(recording(fired));
          for (int i = 0; i < 100; ++i) orm::get_by_id(db, users, posts[i % posts.size()].user_id);
        },
        {.name = "timeline"})
        .join();
    ASSERT_EQ(fired.size(), 1u);
    EXPECT_EQ(fired[0].fiber_id, loop_fiber);
    EXPECT_EQ(fired[0].fiber_name, "timeline");
    EXPECT_EQ(fired[0].count, 11u);
    EXPECT_NE(fired[0].sql.find("FROM"), std::string::npos);
    EXPECT_NE(fired[0].hint.find("users by users.id"), std::string::npos) << fired[0].hint;
    EXPECT_NE(fired[0].hint.find("orm::prefetch_parents(db, children"), std::string::npos) << fired[0].hint;

    // The prefetch version of the same page: never.
    fired.clear();
    {
      orm::repeat_detector detector(recording(fired));
      const auto owners = orm::prefetch_parents(db, posts, tweets.user_id, users);
      for (const tweet& t : posts) ASSERT_NE(owners.parent_of(t), nullptr);
    }
    EXPECT_TRUE(fired.empty());
  });
}

TEST_P(RepeatDetector, ChildrenPerParentLoopNamesPrefetch) {
  in_db([&](fibersql::db::database& db) {
    const std::vector<user> people = seed(db, 30, 3);
    std::vector<recorded> fired;
    {
      orm::repeat_detector detector(recording(fired));
      for (const user& u : people) orm::select(tweets).where(tweets.user_id == u.id).all(db);
    }
    ASSERT_EQ(fired.size(), 1u);
    EXPECT_NE(fired[0].hint.find("orm::prefetch(db, parents, tweets.user_id)"), std::string::npos) << fired[0].hint;
    fired.clear();
    {
      orm::repeat_detector detector(recording(fired));
      const auto posts = orm::prefetch(db, people, tweets.user_id);
      EXPECT_GT(posts.size(), 0u);
    }
    EXPECT_TRUE(fired.empty());
  });
}

TEST_P(RepeatDetector, OncePerShapePerScopeAndOnlyItsOwnFiber) {
  in_db([&](fibersql::db::database& db) {
    seed(db, 20, 1);
    std::vector<recorded> fired;
    orm::repeat_detector detector(recording(fired, 5));
    // Another fiber's loop, running while this scope is open, is not this fiber's repeat.
    fibersql::fiber other = fibersql::spawn([&] {
      for (int i = 0; i < 50; ++i) {
        orm::get_by_id(db, users, 1 + i % 20);
        fibersql::this_fiber::yield();
      }
    });
    for (int i = 0; i < 5; ++i) {
      orm::get_by_id(db, users, 1 + i);
      fibersql::this_fiber::yield();
    }
    other.join();
    EXPECT_TRUE(fired.empty());
    for (int i = 0; i < 30; ++i) orm::get_by_id(db, users, 1 + i % 20);
    EXPECT_EQ(fired.size(), 1u);  // once per shape, however long the loop
    for (int i = 0; i < 30; ++i) orm::get(db, users, users.username == "u" + std::to_string(i % 20));
    EXPECT_EQ(fired.size(), 2u);  // another shape
    {
      orm::repeat_detector nested(recording(fired, 5));
      for (int i = 0; i < 6; ++i) orm::get_by_id(db, users, 1 + i);
    }
    EXPECT_EQ(fired.size(), 3u);  // a new scope reports again; the outer one already did
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, RepeatDetector, ::testing::Values(backend::sqlite_memory, backend::mariadb));

TEST(RepeatShape, InListsFoldAndOnlyLookupsCount) {
  fibersql::db::statement_event e;
  e.rows = 1;
  e.sql = R"(SELECT "users"."id" FROM "users" WHERE "users"."id" IN (?, ?))";
  const std::uint64_t two = orm::detail::lookup_shape(e);
  e.sql = R"(SELECT "users"."id" FROM "users" WHERE "users"."id" IN (?, ?, ?, ?))";
  EXPECT_NE(two, 0u);
  EXPECT_EQ(orm::detail::lookup_shape(e), two);
  e.sql = R"(SELECT "users"."id" FROM "users" WHERE "users"."login_count" IN (?, ?))";
  EXPECT_NE(orm::detail::lookup_shape(e), two);
  e.sql = R"(UPDATE "users" SET "login_count" = ? WHERE ("users"."id" = ?))";
  EXPECT_EQ(orm::detail::lookup_shape(e), 0u);  // not a SELECT
  e.sql = R"(SELECT "users"."id" FROM "users")";
  e.rows = 40;
  EXPECT_EQ(orm::detail::lookup_shape(e), 0u);  // many rows, no `= ?`: not a lookup
  EXPECT_EQ(orm::detail::repeat_hint("SELECT `tweets`.`id` FROM `tweets` WHERE (`tweets`.`user_id` = ?)", false),
            "tweets by tweets.user_id, once per parent: orm::prefetch(db, parents, tweets.user_id) fetches them for "
            "every parent in one query");
}

}  // namespace
