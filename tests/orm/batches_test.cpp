// query.batches(db, n): keyset pages that cover every row once, in the key's order, with the
// query's own condition; the connection free between pages (nested queries and writes in the
// loop, inside atomic(), committed or rolled back as one); clear refusals of what cannot be
// paged.
#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <vector>

#include <fibersql/runtime/runtime.hpp>

#include "models.hpp"
#include "stream_support.hpp"

namespace fibersql::orm_test {
namespace {

using app::item;
using app::items;
namespace fn = orm::fn;

std::int64_t logs(db::database& db) {
  return orm::select(fn::count()).from(app::item_logs).scalar(db);
}

class OrmBatches : public backend_test {};

TEST_P(OrmBatches, PagesCoverEveryRowOnceInKeyOrder) {
  fibersql::run([&] {
    db::database db{url_};
    fresh_schema(db);
    fill(db, 2500);
    std::vector<std::size_t> sizes;
    std::int64_t last = 0;
    auto pages = orm::select(items).batches(db, 1000);
    for (std::vector<item>& page : pages) {
      sizes.push_back(page.size());
      for (const item& it : page) {
        EXPECT_GT(it.id, last);
        last = it.id;
      }
    }
    EXPECT_EQ(sizes, (std::vector<std::size_t>{1000, 1000, 500}));
    EXPECT_EQ(pages.pages(), 3u) << "a short page is the last: no empty query after it";

    // The query's own condition is kept; a descending key pages downwards.
    std::int64_t upper = 0, previous = 1 << 30;
    for (auto& page : orm::select(items.id, items.n).where(items.n > 1250).order_by(items.id.desc()).batches(db, 300))
      for (const auto& [id, n] : page) {
        EXPECT_GT(n, 1250);
        EXPECT_LT(id, previous);
        previous = id;
        ++upper;
      }
    EXPECT_EQ(upper, 1250);

    // A given unique key: labels, in their (text) order.
    std::set<std::string> labels;
    std::string before;
    for (auto& page : orm::select(items.label).where(items.n <= 50).batches(db, 7, items.label))
      for (const std::string& l : page) {
        EXPECT_LT(before, l);
        before = l;
        labels.insert(l);
      }
    EXPECT_EQ(labels.size(), 50u);
    // An exact multiple of n ends with one empty page query.
    auto exact = orm::select(items).where(items.n <= 20).batches(db, 10);
    std::size_t rows = 0;
    for (auto& page : exact) rows += page.size();
    EXPECT_EQ(rows, 20u);
    EXPECT_EQ(exact.pages(), 3u);
  });
}

// Writes and nested queries between pages, inside one transaction: all of it commits, or on
// an exception none of it does.
TEST_P(OrmBatches, WritesInsideTheLoopInsideAtomicCommitOrRollBackAsOne) {
  fibersql::run([&] {
    db::database db{url_};
    fresh_schema(db);
    fill(db, 1200);
    db.atomic([&] {
      for (auto& page : orm::select(items).where(items.n > 200).batches(db, 250)) {
        for (const item& it : page) {
          app::item_log log{.item_id = it.id};
          orm::insert(db, log);
        }
        // A nested query sees the transaction's own writes.
        EXPECT_EQ(logs(db),
                  orm::select(fn::count()).from(items).where(items.n > 200 && items.id <= page.back().id).scalar(db));
      }
    });
    EXPECT_EQ(logs(db), 1000);

    EXPECT_THROW(db.atomic([&] {
      std::size_t n = 0;
      for (auto& page : orm::select(items).batches(db, 100)) {
        for (const item& it : page) {
          app::item_log log{.item_id = it.id};
          orm::insert(db, log);
        }
        if (++n == 5) throw std::runtime_error("stop after 500 inserts");
      }
    }),
                 std::runtime_error);
    EXPECT_EQ(logs(db), 1000) << "the failed loop's 500 inserts must roll back together";
  });
}

TEST_P(OrmBatches, AKeyThatRepeatsInTheResultIsRefused) {
  fibersql::run([&] {
    db::database db{url_};
    orm::drop_tables(db, app::users, app::tweets);
    orm::create_tables(db, app::tweets, app::users);
    app::user ann{.username = "ann"};
    orm::insert(db, ann);
    for (const char* text : {"one", "two"}) {
      app::tweet t{.user_id = ann.id, .content = text};
      orm::insert(db, t);
    }
    // users joined to their tweets repeat each user: paging on users.id would skip rows.
    auto pages = orm::select(app::users, app::tweets).join(app::tweets).batches(db, 10);
    try {
      for (auto& page : pages) (void)page;
      ADD_FAILURE() << "a repeating key was paged on";
    } catch (const programming_error& e) {
      EXPECT_NE(std::string(e.what()).find("users.id repeats"), std::string::npos) << e.what();
    }
    // The other way round the key is unique: tweets.id.
    std::size_t rows = 0;
    for (auto& page : orm::select(app::tweets, app::users).join(app::users).batches(db, 1)) rows += page.size();
    EXPECT_EQ(rows, 2u);
    orm::drop_tables(db, app::users, app::tweets);
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, OrmBatches, ::testing::Values(backend::sqlite_file, backend::mariadb));

// What cannot be paged fails when the range is made, naming what stands in the way; the
// statements of the pages (no database: the plan and its SQL).
TEST(OrmBatchesPlan, RefusesWhatItCannotPageWithClearErrors) {
  const auto refused = [](auto make, const char* needle) {
    try {
      make();
      ADD_FAILURE() << "accepted; expected an error containing: " << needle;
    } catch (const programming_error& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  const auto plan = [](const auto& q, orm::detail::node_ptr key = nullptr) {
    return orm::detail::plan_keyset(*q.fibersql_state(), std::move(key));
  };
  refused([&] { plan(orm::select(items).order_by(items.n)); }, "keyset pages come in the order of their key items.id");
  refused([&] { plan(orm::select(items).order_by(items.id, items.n)); }, "drop order_by() or order by the key");
  refused([&] { plan(orm::select(items).limit(10)); },
          "drop .limit()/.offset()/.paginate() from the query (it has LIMIT 10)");
  refused([&] { plan(orm::select(items.n, fn::count()).group_by(items.n)); }, "GROUP BY, HAVING or DISTINCT");
  refused([&] { plan(orm::select(items.n).distinct()); }, "GROUP BY, HAVING or DISTINCT");
  refused([&] { plan(orm::select(app::tweet_tags)); }, "tweet_tags has a composite primary key (2 columns)");
  refused([&] { plan(orm::select(items), items.n.fibersql_node()); }, "items.n is not declared unique");
  refused([&] { plan(orm::select(items), (items.n + 1).fibersql_node()); }, "the key must be a column");
  EXPECT_NO_THROW(plan(orm::select(items).order_by(items.id.desc())));
  EXPECT_NO_THROW(plan(orm::select(app::users), app::users.username.fibersql_node()));

  const auto p = plan(orm::select(items.label).where(items.n > 5));
  const orm::statement first = orm::detail::render_page(p, std::nullopt, 100, orm::sqlite());
  EXPECT_EQ(first.text,
            "SELECT \"items\".\"label\", \"items\".\"id\" FROM \"items\" WHERE (\"items\".\"n\" > ?) "
            "ORDER BY \"items\".\"id\" LIMIT ?");
  const orm::statement next =
      orm::detail::render_page(p, fibersql::value(std::int64_t{42}), 100, orm::mariadb({10, 11}));
  EXPECT_EQ(next.text,
            "SELECT `items`.`label`, `items`.`id` FROM `items` WHERE ((`items`.`n` > ?) AND (`items`.`id` > ?)) "
            "ORDER BY `items`.`id` LIMIT ?");
  ASSERT_EQ(next.params.size(), 3u);
  EXPECT_EQ(next.params[1], fibersql::value(std::int64_t{42}));
  EXPECT_EQ(next.params[2], fibersql::value(std::int64_t{100}));
}

}  // namespace
}  // namespace fibersql::orm_test
