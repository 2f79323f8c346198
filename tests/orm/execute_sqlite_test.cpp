// ORM part 2, started: queries run on db::database (sqlite::memory:) and rows come back as
// models, tuples and values.
#include <gtest/gtest.h>

#include <fibersql/runtime/runtime.hpp>

#include "models.hpp"

namespace {
using namespace app;
namespace fn = fibersql::orm::fn;

class OrmExecuteSqlite : public ::testing::Test {
 protected:
  void in_db(const std::function<void()>& body) {
    fibersql::run([&] {
      for (const std::string& ddl : orm::schema_sql(orm::sqlite(), tweets, users)) db.execute(ddl);
      body();
    });
  }
  fibersql::db::database db{"sqlite::memory:"};
};

TEST_F(OrmExecuteSqlite, InsertThenSelectModels) {
  in_db([&] {
    EXPECT_EQ(orm::insert_into(users).values(user{.username = "ann", .email = "a@x"}).execute(db), 1u);
    EXPECT_EQ(orm::insert_into(users).values(user{.username = "bob"}).execute(db), 1u);
    const std::vector<user> all = orm::select(users).order_by(users.id).all(db);
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].id, 1);
    EXPECT_EQ(all[0].username, "ann");
    EXPECT_EQ(all[0].email, std::optional<std::string>("a@x"));
    EXPECT_NE(all[0].joined, fibersql::datetime{});  // default_now filled it
    EXPECT_EQ(all[1].email, std::nullopt);
    EXPECT_EQ(orm::select(users).where(users.username == "nobody").first(db), std::nullopt);
    EXPECT_EQ(orm::select(users.username).where(users.id == 2).first(db), std::optional<std::string>("bob"));
  });
}

TEST_F(OrmExecuteSqlite, TuplesAggregatesUpdatesDeletes) {
  in_db([&] {
    orm::insert_into(users).values(user{.username = "ann"}).execute(db);
    orm::insert_into(tweets)
        .values(std::vector<tweet>{{.user_id = 1, .content = "a"}, {.user_id = 1, .content = "b"}})
        .execute(db);
    for (const auto& [t, u] : orm::select(tweets, users).join(users).order_by(tweets.id).all(db)) {
      EXPECT_EQ(u.username, "ann");
      EXPECT_EQ(t.user_id, u.id);
    }
    const auto counts = orm::select(users.username, fn::count(tweets.id)).left_join(tweets).group_by(users.id).all(db);
    ASSERT_EQ(counts.size(), 1u);
    EXPECT_EQ(counts[0], std::make_tuple(std::string("ann"), std::int64_t{2}));
    EXPECT_EQ(orm::select(fn::sum(users.login_count)).where(users.id < 0).first(db),
              std::optional<std::optional<std::int64_t>>(std::in_place, std::nullopt));
    EXPECT_EQ(orm::update(users).set(users.login_count = users.login_count + 5).where(users.id == 1).execute(db), 1u);
    EXPECT_EQ(orm::select(users.login_count).first(db), std::optional<std::int64_t>(5));
    EXPECT_EQ(orm::delete_from(tweets).where(tweets.content == "a").execute(db), 1u);
    EXPECT_EQ(orm::delete_from(tweets).all_rows().execute(db), 1u);
  });
}

TEST_F(OrmExecuteSqlite, UpsertUpdatesTheExistingRow) {
  in_db([&] {
    auto login = orm::insert_into(users)
                     .values(user{.username = "ann", .email = "new"})
                     .on_conflict(users.username)
                     .update(users.login_count = users.login_count + 1, users.email = orm::excluded(users.email));
    login.execute(db);
    login.execute(db);
    const auto u = orm::select(users).first(db);
    ASSERT_TRUE(u);
    EXPECT_EQ(u->login_count, 1);
    EXPECT_EQ(u->email, std::optional<std::string>("new"));
    EXPECT_EQ(orm::select(fn::count()).from(users).first(db), std::optional<std::int64_t>(1));
  });
}

}  // namespace
