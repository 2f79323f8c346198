// ORM part 2's behaviour suite: the same cases on sqlite::memory:, a SQLite file and the
// MariaDB fixture (test names end in /mariadb; labels orm and mysql). Every terminal, the row
// shapes, the CRUD shortcuts, get_or_create, and create/drop_tables with their transaction
// rules.
#include <gtest/gtest.h>

#include <unistd.h>
#include <filesystem>
#include <string>

#include <fibersql/runtime/runtime.hpp>

#include "models.hpp"
#include "support/test_env.hpp"

// A custom column type through orm::value_traits, and enums (their underlying integer).
namespace app {
struct money {
  std::int64_t cents = 0;
  friend bool operator==(const money&, const money&) = default;
};
enum class mood : std::int32_t { happy = 1, sad = 2 };
}  // namespace app
template <>
struct fibersql::orm::value_traits<app::money> {
  static constexpr orm::sql_type sql_type = orm::sql_type::int64;
  static std::int64_t to_value(const app::money& m) { return m.cents; }
  static app::money from_row(const fibersql::row& r, std::size_t i) { return {r.get<std::int64_t>(i)}; }
};
namespace app {
struct wallet {
  std::int64_t id = 0;
  money balance{};
  mood feeling = mood::happy;
  std::optional<mood> maybe;
};
FIBERSQL_TABLE(wallets, wallet, (id, auto_increment), (balance), (feeling), (maybe));

// One optional row per user, keyed by the user: the right side of the LEFT JOIN cases.
struct profile {
  std::int64_t user_id = 0;
  std::optional<std::string> bio;
  std::optional<std::int64_t> age;
};
FIBERSQL_TABLE(profiles, profile, (user_id, primary_key, references(users.id)), (bio, max_length(100)), (age));
}  // namespace app

namespace {
using namespace app;
namespace fn = fibersql::orm::fn;

enum class backend { memory, file, mariadb };
// PrintTo: the backend's name in test names (gtest_discover_tests appends GetParam()).
void PrintTo(backend b, std::ostream* os) {
  *os << (b == backend::memory ? "sqlite_memory" : b == backend::file ? "sqlite_file" : "mariadb");
}

std::string url_of(backend b) {
  switch (b) {
    case backend::memory:
      return "sqlite::memory:";
    case backend::file: {
      const auto path = std::filesystem::temp_directory_path() / ("fibersql_orm_" + std::to_string(::getpid()) + ".db");
      std::filesystem::remove(path);
      return "sqlite://" + path.string();
    }
    case backend::mariadb:
      return fibersql::testing::test_mysql_url();
  }
  return {};
}

class OrmBehaviour : public ::testing::TestWithParam<backend> {
 protected:
  void SetUp() override {
    if (GetParam() == backend::mariadb) {
      FIBERSQL_REQUIRE_MYSQL();
    }
    url_ = url_of(GetParam());
  }
  // in_db: body on a fresh schema (users, tweets), dropped again afterwards.
  void in_db(const std::function<void(fibersql::db::database&)>& body, fibersql::db::database_options o = {}) {
    fibersql::run([&] {
      fibersql::db::database db{url_, std::move(o)};
      orm::drop_tables(db, users, tweets);
      orm::create_tables(db, tweets, users);
      body(db);
      orm::drop_tables(db, users, tweets);
    });
  }
  bool mysql() const { return GetParam() == backend::mariadb; }
  std::string url_;
};

void two_users(fibersql::db::database& db) {
  user ann{.username = "ann", .email = "a@x"};
  user bob{.username = "bob"};
  orm::insert(db, ann);
  orm::insert(db, bob);
}

TEST_P(OrmBehaviour, Terminals) {
  in_db([&](fibersql::db::database& db) {
    two_users(db);
    const std::vector<user> all = orm::select(users).order_by(users.id).all(db);
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].username, "ann");
    EXPECT_EQ(all[1].email, std::nullopt);
    EXPECT_EQ(orm::select(users.username).order_by(users.id.desc()).first(db), std::optional<std::string>("bob"));
    EXPECT_EQ(orm::select(users).where(users.username == "nobody").first(db), std::nullopt);
    EXPECT_EQ(orm::select(users).where(users.username == "bob").get(db).id, all[1].id);
    try {
      orm::select(users).where(users.username == "nobody").get(db);
      ADD_FAILURE() << "get found a row that does not exist";
    } catch (const orm::does_not_exist& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("users"), std::string::npos) << what;
      EXPECT_NE(what.find("SELECT"), std::string::npos) << what;
      EXPECT_EQ(what.find("nobody"), std::string::npos) << "bound values stay out of messages: " << what;
      EXPECT_EQ(e.sqlstate(), "02000");
    }
    EXPECT_THROW(orm::select(users).where(users.id < 0).get(db), fibersql::database_error);
    EXPECT_EQ(orm::select(fn::count()).from(users).scalar(db), 2);
    EXPECT_EQ(orm::select(users.username).where(users.id == all[0].id).scalar(db), "ann");
    EXPECT_THROW(orm::select(users.username).where(users.id < 0).scalar(db), orm::does_not_exist);
    EXPECT_EQ(orm::select(users).count(db), 2);
    EXPECT_EQ(orm::select(users).where(users.username == "ann").count(db), 1);
    EXPECT_EQ(orm::select(users).limit(1).count(db), 1);  // counts the rows the query yields
    EXPECT_TRUE(orm::select(users).where(users.username == "ann").exists(db));
    EXPECT_FALSE(orm::select(users).where(users.username == "zed").exists(db));
    EXPECT_EQ(orm::update(users).set(users.login_count = users.login_count + 1).all_rows().execute(db), 2u);
    EXPECT_EQ(orm::delete_from(users).where(users.username == "zed").execute(db), 0u);
    const fibersql::result raw = orm::select(users.id, users.username).order_by(users.id).rows(db);
    ASSERT_EQ(raw.rows.size(), 2u);
    EXPECT_EQ(raw.rows[1].get<std::string>(1), "bob");
  });
}

TEST_P(OrmBehaviour, RowShapes) {
  in_db([&](fibersql::db::database& db) {
    two_users(db);
    const user ann = orm::get(db, users, users.username == "ann");
    tweet t1{.user_id = ann.id, .content = "first"};
    tweet t2{.user_id = ann.id, .content = "second", .is_published = false};
    orm::insert(db, t1);
    orm::insert(db, t2);
    int seen = 0;
    for (const auto& [t, u] : orm::select(tweets, users).join(users).order_by(tweets.id).all(db)) {
      EXPECT_EQ(u.username, "ann");
      EXPECT_EQ(t.user_id, u.id);
      ++seen;
    }
    EXPECT_EQ(seen, 2);
    const auto mixed = orm::select(tweets.content, users).from(tweets).join(users).where(tweets.is_published).all(db);
    ASSERT_EQ(mixed.size(), 1u);
    EXPECT_EQ(std::get<0>(mixed[0]), "first");
    EXPECT_EQ(std::get<1>(mixed[0]).id, ann.id);
    const auto counts = orm::select(users.username, fn::count(tweets.id))
                            .left_join(tweets)
                            .group_by(users.id, users.username)
                            .order_by(users.username)
                            .all(db);
    ASSERT_EQ(counts.size(), 2u);
    EXPECT_EQ(counts[0], std::make_tuple(std::string("ann"), std::int64_t{2}));
    EXPECT_EQ(counts[1], std::make_tuple(std::string("bob"), std::int64_t{0}));
    EXPECT_EQ(orm::select(fn::max(tweets.id)).where(tweets.id < 0).scalar(db), std::nullopt);
    EXPECT_EQ(orm::select(tweets.is_published).where(tweets.id == t2.id).scalar(db), false);
  });
}

TEST_P(OrmBehaviour, OuterJoinSidesAreOptional) {
  in_db([&](fibersql::db::database& db) {
    two_users(db);
    orm::create_tables(db, profiles);
    const user ann = orm::get(db, users, users.username == "ann");
    profile p{.user_id = ann.id};  // every column but the key NULL: still a row
    orm::insert(db, p);

    auto with_profile = orm::select(users, profiles).left_join(profiles).order_by(users.id);
    static_assert(std::is_same_v<decltype(with_profile)::row_type, std::tuple<user, std::optional<profile>>>);
    const auto rows = with_profile.all(db);
    ASSERT_EQ(rows.size(), 2u);
    const auto& [u0, p0] = rows[0];
    EXPECT_EQ(u0.username, "ann");
    ASSERT_TRUE(p0.has_value()) << "a right-side row with NULL columns and a key is a row";
    EXPECT_EQ(p0->user_id, ann.id);
    EXPECT_EQ(p0->bio, std::nullopt);
    EXPECT_EQ(std::get<1>(rows[1]), std::nullopt) << "bob has no profile";

    // Columns of the joined side become optional; the left side's stay as they are, and an
    // inner join added after keeps its columns plain.
    auto cols = orm::select(users.username, profiles.user_id, profiles.bio, tweets.content)
                    .left_join(profiles)
                    .join(tweets, tweets.user_id == users.id)
                    .order_by(users.id);
    static_assert(
        std::is_same_v<decltype(cols)::row_type,
                       std::tuple<std::string, std::optional<std::int64_t>, std::optional<std::string>, std::string>>);
    EXPECT_TRUE(cols.all(db).empty());
    auto names = orm::select(users.username, profiles.user_id).left_join(profiles).order_by(users.id).all(db);
    ASSERT_EQ(names.size(), 2u);
    EXPECT_EQ(names[0], std::make_tuple(std::string("ann"), std::optional<std::int64_t>(ann.id)));
    EXPECT_EQ(names[1], std::make_tuple(std::string("bob"), std::optional<std::int64_t>()));
    // A model left-joined without a tuple, and into<S> over the optional side.
    struct named_age {
      std::string name;
      std::optional<std::int64_t> age;
    };
    const auto ages = orm::select(users.username, profiles.age).left_join(profiles).into<named_age>().all(db);
    EXPECT_EQ(ages.size(), 2u);
    auto only = orm::select(tweets).from(users).left_join(tweets).order_by(users.id);
    static_assert(std::is_same_v<decltype(only)::row_type, std::optional<tweet>>);
    const auto sides = only.all(db);
    ASSERT_EQ(sides.size(), 2u);
    EXPECT_FALSE(sides[0].has_value() || sides[1].has_value()) << "no user has a tweet yet";

    if (!mysql()) {  // FULL JOIN: SQLite 3.39+; MariaDB has none (not_supported_error)
      tweet hello{.user_id = ann.id, .content = "hi"};
      orm::insert(db, hello);
      auto both = orm::select(profiles.user_id, tweets.content).full_join(tweets, tweets.user_id == profiles.user_id);
      static_assert(std::is_same_v<decltype(both)::row_type,
                                   std::tuple<std::optional<std::int64_t>, std::optional<std::string>>>);
      EXPECT_EQ(both.all(db).size(), 1u);
    } else {
      EXPECT_THROW(orm::select(profiles.user_id).full_join(tweets, tweets.user_id == profiles.user_id).all(db),
                   fibersql::not_supported_error);
    }
    orm::drop_tables(db, profiles);
  });
}

TEST_P(OrmBehaviour, ConversionErrorsNameTheModelsColumn) {
  in_db([&](fibersql::db::database& db) {
    two_users(db);
    // A NULL where the model has no optional: the error names users.username, not column 1.
    db.execute(mysql() ? "ALTER TABLE users MODIFY username VARCHAR(64) NULL" : "DROP TABLE users");
    if (!mysql())
      db.execute(
          "CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT, email TEXT, "
          "joined DATETIME, login_count INTEGER)");
    db.execute("INSERT INTO users (id, username, joined, login_count) VALUES (99, NULL, '2026-01-01 00:00:00', 0)");
    try {
      orm::get_by_id(db, users, 99);
      ADD_FAILURE() << "a NULL decoded into std::string";
    } catch (const fibersql::data_error& e) {
      EXPECT_NE(std::string(e.what()).find("users.username"), std::string::npos) << e.what();
    }
  });
}

TEST_P(OrmBehaviour, Crud) {
  in_db([&](fibersql::db::database& db) {
    user ann{.username = "ann"};
    orm::insert(db, ann);
    EXPECT_GT(ann.id, 0);
    user bob{.username = "bob"};
    orm::insert(db, bob);
    EXPECT_GT(bob.id, ann.id);
    EXPECT_EQ(orm::get_by_id(db, users, bob.id).username, "bob");
    EXPECT_THROW(orm::get_by_id(db, users, bob.id + 100), orm::does_not_exist);
    EXPECT_EQ(orm::get(db, users, users.username == "ann").id, ann.id);
    EXPECT_EQ(orm::get_or_none(db, users, users.username == "zed"), std::nullopt);
    ASSERT_TRUE(orm::get_or_none(db, users, users.username == "bob"));
    EXPECT_THROW(orm::insert(db, bob), fibersql::integrity_error);  // same id again

    bob.email = "b@x";
    bob.login_count = 7;
    EXPECT_EQ(orm::save(db, bob), 1u);  // has an id: UPDATE by key
    const user again = orm::get_by_id(db, users, bob.id);
    EXPECT_EQ(again.email, std::optional<std::string>("b@x"));
    EXPECT_EQ(again.login_count, 7);
    user cy{.username = "cy"};
    orm::save(db, cy);  // id 0: INSERT, id filled in
    EXPECT_GT(cy.id, bob.id);
    EXPECT_EQ(orm::select(users).count(db), 3);

    EXPECT_EQ(orm::erase(db, bob), 1u);
    EXPECT_EQ(orm::erase(db, bob), 0u);
    EXPECT_EQ(orm::get_or_none(db, users, users.id == bob.id), std::nullopt);
    EXPECT_EQ(orm::select(users).count(db), 2);
  });
}

TEST_P(OrmBehaviour, GetOrCreate) {
  in_db([&](fibersql::db::database& db) {
    auto [a, created] = orm::get_or_create(db, users, users.username == "dee", user{.username = "dee"});
    EXPECT_TRUE(created);
    EXPECT_GT(a.id, 0);
    auto [b, created2] = orm::get_or_create(db, users, users.username == "dee", user{.username = "dee"});
    EXPECT_FALSE(created2);
    EXPECT_EQ(b.id, a.id);
    // The condition does not find the row, the insert collides on the unique username: the
    // re-read finds nothing either, so the original integrity_error comes back.
    EXPECT_THROW(
        orm::get_or_create(db, users, users.username == "dee" && users.login_count == 5, user{.username = "dee"}),
        fibersql::integrity_error);
    EXPECT_EQ(orm::select(users).count(db), 1);
  });
}

TEST_P(OrmBehaviour, SchemaCreateAndDropInDependencyOrder) {
  fibersql::run([&] {
    fibersql::db::database db{url_};
    orm::drop_tables(db, tweet_tags, tweets, users);
    orm::create_tables(db, tweet_tags, tweets, users);  // given dependants first: reordered
    user ann{.username = "ann"};
    orm::insert(db, ann);
    tweet t{.user_id = ann.id, .content = "x"};
    orm::insert(db, t);
    orm::insert_into(tweet_tags).values(tweet_tag{.tweet_id = t.id, .tag = "a"}).execute(db);
    EXPECT_EQ(orm::select(tweet_tags).count(db), 1);
    orm::create_tables(db, users, tweets, tweet_tags);  // IF NOT EXISTS: a second call is harmless
    orm::drop_tables(db, users, tweets, tweet_tags);    // dependants dropped first
    EXPECT_THROW(db.execute("SELECT 1 FROM users"), fibersql::database_error);
  });
}

TEST_P(OrmBehaviour, CreateTablesAndTransactions) {
  fibersql::run([&] {
    fibersql::db::database db{url_};
    orm::drop_tables(db, tweets, users);
    if (mysql()) {
      // DDL would commit the open transaction: refused, and the caller's work stays pending.
      db.execute("CREATE TABLE IF NOT EXISTS orm_pending (v INT) ENGINE=InnoDB");
      db.execute("DELETE FROM orm_pending");
      EXPECT_THROW(db.atomic([&] {
        db.execute("INSERT INTO orm_pending VALUES (1)");
        try {
          orm::create_tables(db, users);
        } catch (const fibersql::programming_error& e) {
          EXPECT_NE(std::string(e.what()).find("transaction"), std::string::npos) << e.what();
          throw;
        }
      }),
                   fibersql::programming_error);
      EXPECT_EQ(db.query("SELECT COUNT(*) FROM orm_pending").rows.at(0).get<std::int64_t>(0), 0);
      db.execute("DROP TABLE orm_pending");
    } else {
      // SQLite: transactional DDL, so create_tables inside atomic() rolls back with it.
      EXPECT_THROW(db.atomic([&] {
        orm::create_tables(db, tweets, users);
        EXPECT_EQ(orm::select(users).count(db), 0);
        throw std::runtime_error("roll back");
      }),
                   std::runtime_error);
      EXPECT_THROW(db.execute("SELECT 1 FROM users"), fibersql::database_error);
    }
    orm::create_tables(db, tweets, users);  // outside a transaction: fine on both
    EXPECT_EQ(orm::select(users).count(db), 0);
    orm::drop_tables(db, tweets, users);
  });
}

// counting_inserts: database options that count the INSERT statements run.
fibersql::db::database_options counting_inserts(int& n) {
  fibersql::db::database_options o;
  o.on_statement = [&n](const fibersql::db::statement_event& e) {
    if (e.sql.starts_with("INSERT")) ++n;
  };
  return o;
}

TEST_P(OrmBehaviour, BulkInsertSplitsAndFillsIds) {
  int inserts = 0;
  in_db(
      [&](fibersql::db::database& db) {
        user ann{.username = "ann"};
        orm::insert(db, ann);
        std::vector<tweet> ts;
        for (int i = 0; i < 10; ++i) ts.push_back({.user_id = ann.id, .content = std::string("t") + std::to_string(i)});
        inserts = 0;
        EXPECT_EQ(orm::insert_many(db, ts, {.max_rows = 3}), 10u);
        EXPECT_EQ(inserts, 4);  // 3 + 3 + 3 + 1
        for (const tweet& t : ts) {
          ASSERT_GT(t.id, 0);
          EXPECT_EQ(orm::get_by_id(db, tweets, t.id).content, t.content);
        }
        // Past SQLite's 32,766 bound variables: 7,000 users of 5 columns need two statements
        // there; MariaDB's byte budget takes them in one.
        std::vector<user> many;
        for (int i = 0; i < 7000; ++i) many.push_back({.username = std::string("u") + std::to_string(i)});
        inserts = 0;
        EXPECT_EQ(orm::insert_many(db, many, {.max_rows = 10000}), 7000u);
        EXPECT_EQ(inserts, mysql() ? 1 : 2);
        EXPECT_EQ(orm::select(users).count(db), 7001);
        EXPECT_EQ(orm::get_by_id(db, users, many.back().id).username, "u6999");
        EXPECT_EQ(many.back().id - many.front().id, 6999);
      },
      counting_inserts(inserts));
}

// Rows that name no column (every member left to its default): one row each still, ids filled.
// Before, the statement inserted one row of defaults for all of them.
TEST_P(OrmBehaviour, BulkInsertOfRowsOfDefaultsInsertsEachRow) {
  in_db([&](fibersql::db::database& db) {
    orm::drop_tables(db, visits);
    orm::create_tables(db, visits);
    std::vector<visit> rows(5);
    EXPECT_EQ(orm::insert_many(db, rows, {.max_rows = 2}), 5u);
    EXPECT_EQ(orm::select(visits).count(db), 5);
    for (std::size_t i = 1; i < rows.size(); ++i) EXPECT_EQ(rows[i].id, rows[i - 1].id + 1);
    EXPECT_GT(rows.front().id, 0);
    // Still all or nothing when they fit one chunk (SQLite runs them one statement each): a
    // unique index on the default timestamp makes a later row fail, and no row stays.
    orm::delete_from(visits).all_rows().execute(db);
    db.execute("CREATE UNIQUE INDEX visits_at ON visits (at)");
    std::vector<visit> clash(3);
    EXPECT_THROW(orm::insert_many(db, clash), fibersql::integrity_error);
    EXPECT_EQ(orm::select(visits).count(db), 0);
    orm::drop_tables(db, visits);
  });
}

TEST_P(OrmBehaviour, BulkInsertFailingInItsThirdStatementLeavesNoRow) {
  int inserts = 0;
  in_db(
      [&](fibersql::db::database& db) {
        std::vector<user> rows{{.username = "a"}, {.username = "b"}, {.username = "c"},
                               {.username = "d"}, {.username = "e"}, {.username = "a"}};
        EXPECT_THROW(orm::insert_many(db, rows, {.max_rows = 2}), fibersql::integrity_error);
        EXPECT_EQ(inserts, 3);
        EXPECT_EQ(orm::select(users).count(db), 0);
        // Inside the caller's transaction: a savepoint, so the caller's own row stays.
        db.atomic([&] {
          user keep{.username = "keep"};
          orm::insert(db, keep);
          EXPECT_THROW(orm::insert_many(db, rows, {.max_rows = 2}), fibersql::integrity_error);
        });
        EXPECT_EQ(orm::select(users.username).all(db), std::vector<std::string>{"keep"});
      },
      counting_inserts(inserts));
}

TEST_P(OrmBehaviour, UpsertResultsCarryTheRowsId) {
  in_db([&](fibersql::db::database& db) {
    auto login = orm::insert_into(users)
                     .values(user{.username = "ann", .email = "a"})
                     .on_conflict(users.username)
                     .update(users.login_count = users.login_count + 1);
    const orm::upsert_result first = login.execute(db);  // inserts
    const user ann = orm::get(db, users, users.username == "ann");
    EXPECT_EQ(first.id, ann.id);
    EXPECT_EQ(first.affected, 1u);
    user bob{.username = "bob"};
    orm::insert(db, bob);                                 // the connection's last insert id is now bob's
    const orm::upsert_result second = login.execute(db);  // updates ann
    EXPECT_EQ(second.id, ann.id);
    EXPECT_EQ(second.affected, mysql() ? 2u : 1u);
    EXPECT_EQ(orm::get_by_id(db, users, ann.id).login_count, 1);

    // update_from_excluded (peewee's preserve): the would-be-inserted email wins.
    const orm::upsert_result third = orm::insert_into(users)
                                         .values(user{.username = "bob", .email = "b@new"})
                                         .on_conflict(users.username)
                                         .update_from_excluded(users.email)
                                         .execute(db);
    EXPECT_EQ(third.id, bob.id);
    EXPECT_EQ(orm::get_by_id(db, users, bob.id).email, std::optional<std::string>("b@new"));

    // do_nothing: a new row gets its id; an existing one is left alone.
    auto keep = [](std::string name) {
      return orm::insert_into(users)
          .values(user{.username = name, .email = "x"})
          .on_conflict(users.username)
          .do_nothing();
    };
    const orm::upsert_result fresh = keep("cy").execute(db);
    ASSERT_TRUE(fresh.id);
    EXPECT_EQ(orm::get_by_id(db, users, *fresh.id).username, "cy");
    const orm::upsert_result kept = keep("ann").execute(db);
    EXPECT_EQ(kept.id, std::nullopt);
    EXPECT_EQ(kept.affected, 0u);
    EXPECT_EQ(orm::get_by_id(db, users, ann.id).email, std::optional<std::string>("a"));

    // where: the update applies only to matching rows.
    login.where(users.login_count > 5).execute(db);
    EXPECT_EQ(orm::get_by_id(db, users, ann.id).login_count, 1);
    login.where(users.login_count == 1).execute(db);
    EXPECT_EQ(orm::get_by_id(db, users, ann.id).login_count, 2);
    EXPECT_EQ(orm::select(users).count(db), 3);
  });
}

TEST_P(OrmBehaviour, CustomTypesAndEnums) {
  in_db([&](fibersql::db::database& db) {
    orm::drop_tables(db, wallets);
    orm::create_tables(db, wallets);
    wallet w{.balance = {1250}, .feeling = mood::sad};
    orm::insert(db, w);
    wallet v{.balance = {-5}, .maybe = mood::happy};
    orm::insert(db, v);
    const wallet back = orm::get_by_id(db, wallets, w.id);
    EXPECT_EQ(back.balance, money{1250});
    EXPECT_EQ(back.feeling, mood::sad);
    EXPECT_EQ(back.maybe, std::nullopt);
    EXPECT_EQ(orm::get_by_id(db, wallets, v.id).maybe, std::optional<mood>(mood::happy));
    EXPECT_EQ(orm::select(wallets).where(wallets.feeling == mood::sad).count(db), 1);
    EXPECT_EQ(orm::select(wallets.balance).where(wallets.balance == money{-5}).scalar(db), money{-5});
    EXPECT_EQ(db.query("SELECT feeling FROM wallets WHERE id = ?", {w.id}).rows.at(0).get<std::int64_t>(0), 2);
    orm::drop_tables(db, wallets);
  });
}

TEST_P(OrmBehaviour, RawSqlIntoModelsByNameWithAShapeCheck) {
  in_db([&](fibersql::db::database& db) {
    two_users(db);
    // Columns in another order than the model's: matched by name.
    const std::vector<user> us = orm::raw<user>(
        db, "SELECT login_count, email, username, id, joined FROM users WHERE username = ?", {std::string("ann")});
    ASSERT_EQ(us.size(), 1u);
    EXPECT_EQ(us[0].username, "ann");
    EXPECT_EQ(us[0].email, std::optional<std::string>("a@x"));
    try {
      orm::raw<user>(db, "SELECT id, username FROM users WHERE id < 0");  // checked with no row
      ADD_FAILURE() << "a result without email decoded";
    } catch (const fibersql::programming_error& e) {
      EXPECT_NE(std::string(e.what()).find("users.email, users.joined, users.login_count not in result; result "
                                           "has id, username"),
                std::string::npos)
          << e.what();
    }
  });
}

TEST_P(OrmBehaviour, IntoAnyAggregateByPosition) {
  in_db([&](fibersql::db::database& db) {
    two_users(db);
    struct name_and_mail {
      std::string name;
      std::optional<std::string> mail;
    };
    const auto rows = orm::select(users.username, users.email).order_by(users.id).into<name_and_mail>().all(db);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].name, "ann");
    EXPECT_EQ(rows[0].mail, std::optional<std::string>("a@x"));
    EXPECT_EQ(rows[1].mail, std::nullopt);
    struct just_id {
      std::int64_t id;
    };
    EXPECT_EQ(orm::select(users.id).where(users.username == "bob").into<just_id>().get(db).id,
              orm::get(db, users, users.username == "bob").id);
  });
}

std::string name_of(const ::testing::TestParamInfo<backend>& info) {
  switch (info.param) {
    case backend::memory:
      return "sqlite_memory";
    case backend::file:
      return "sqlite_file";
    case backend::mariadb:
      return "mariadb";
  }
  return "unknown";
}

INSTANTIATE_TEST_SUITE_P(Backends, OrmBehaviour, ::testing::Values(backend::memory, backend::file, backend::mariadb),
                         name_of);

}  // namespace
