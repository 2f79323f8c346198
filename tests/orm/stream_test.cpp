// query.stream(db): rows one at a time as the model, a statement inside the loop refused with
// a typed error naming the stream, an early break that gives up only that connection and
// leaks nothing, bounded memory over 1M rows on MariaDB, and other fibers running during a
// 1M-row SQLite stream.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <vector>

#include <fibersql/runtime/runtime.hpp>

#include "leak/leak_probe.hpp"
#include "stream_support.hpp"
#include "support/admin.hpp"

namespace fibersql::orm_test {
namespace {

using namespace std::chrono_literals;
using app::item;
using app::items;
namespace fn = orm::fn;

class OrmStream : public backend_test {};

TEST_P(OrmStream, RowsOneAtATimeAsTheQuerysRowType) {
  fibersql::run([&] {
    db::database db{url_};
    fresh_schema(db);
    fill(db, 1000);
    std::int64_t expected = 1;
    auto rows = orm::select(items).where(items.n <= 700).order_by(items.id).stream(db);
    for (item& it : rows) {
      EXPECT_EQ(it.n, expected);
      EXPECT_EQ(it.label, "item " + std::to_string(expected));
      ++expected;
    }
    EXPECT_EQ(expected, 701);
    EXPECT_EQ(rows.rows_read(), 700u);
    EXPECT_TRUE(rows.done());
    // Tuples and into<S> too, and the connection is free again after the end.
    std::int64_t sum = 0;
    for (const auto& [id, n] : orm::select(items.id, items.n).where(items.n > 990).stream(db)) sum += n - id;
    EXPECT_EQ(sum, 0);
    struct pair {
      std::int64_t n;
      std::string label;
    };
    auto one = orm::select(items.n, items.label).where(items.n == 5).into<pair>().stream(db);
    const std::optional<pair> p = one.next();
    ASSERT_TRUE(p);
    EXPECT_EQ(p->label, "item 5");
    EXPECT_FALSE(one.next());
    EXPECT_EQ(orm::select(fn::count()).from(items).scalar(db), 1000);
  });
}

TEST_P(OrmStream, AStatementInsideTheLoopIsRefusedNamingTheStream) {
  fibersql::run([&] {
    db::database db{url_};
    fresh_schema(db);
    fill(db, 600);
    std::int64_t seen = 0;
    for (item& it : orm::select(items).order_by(items.id).stream(db)) {
      ++seen;
      if (it.n != 300) continue;
      app::item_log log{.item_id = it.id};
      try {
        orm::insert(db, log);
        ADD_FAILURE() << "an INSERT ran while the connection streamed";
      } catch (const db::stream_open_error& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("streaming `SELECT"), std::string::npos) << what;
        EXPECT_NE(what.find("(row 300)"), std::string::npos) << what;
        EXPECT_NE(what.find("INSERT INTO"), std::string::npos) << what;
        EXPECT_NE(what.find(".batches(db, n)"), std::string::npos) << what;
        EXPECT_EQ(e.rows_read(), 300u);
        EXPECT_NE(e.stream_statement().find("FROM"), std::string::npos);
      }
      // Raw statements and transactions are refused the same way, before reaching the backend.
      EXPECT_THROW(db.execute("SELECT 1"), db::stream_open_error);
      EXPECT_THROW(db.atomic(), db::stream_open_error);
      EXPECT_THROW(orm::select(items).stream(db), db::stream_open_error);
    }
    EXPECT_EQ(seen, 600) << "the refusal must leave the stream going";
    EXPECT_EQ(db.stats().discarded_broken, 0u);
    app::item_log log{.item_id = 1};
    orm::insert(db, log);  // the stream ended: the connection is free
    EXPECT_EQ(orm::select(fn::count()).from(app::item_logs).scalar(db), 1);
  });
}

TEST_P(OrmStream, EarlyBreakGivesUpOnlyThatConnectionAndLeaksNothing) {
  const bool mysql = GetParam() == backend::mariadb;
  const leak::probe probe{mysql};
  const leak::snapshot base = probe.measure();  // outside any hub, before any connection
  std::optional<db::database> db;
  db.emplace(url_);
  fibersql::run([&] {
    fresh_schema(*db);
    fill(*db, 20000, 200);  // ~4 MB: more than the socket buffers hold
    const std::uint64_t session = db->connection().server_thread_id();
    std::int64_t seen = 0;
    for (item& it : orm::select(items).stream(*db)) {
      if (++seen == 10) break;
      (void)it;
    }
    if (mysql) {
      EXPECT_EQ(db->stats().discarded_broken, 0u) << "discarded only at the fiber's next statement";
      testing::admin admin;
      EXPECT_TRUE(admin.wait_session_gone(session, 1s)) << "the dropped stream's server session lingers";
    }
    // The fiber's next statement gets a fresh, healthy connection; others never noticed.
    EXPECT_EQ(orm::select(fn::count()).from(items).scalar(*db), 20000);
    EXPECT_EQ(db->stats().discarded_broken, mysql ? 1u : 0u);
    spawn([&] { EXPECT_EQ(orm::select(fn::count()).from(items).where(items.n < 11).scalar(*db), 10); }).join();
    orm::drop_tables(*db, items, app::item_logs);
  });
  const auto held = leak::stats_leaks(*db);
  EXPECT_TRUE(held.empty()) << leak::describe(held);
  db.reset();
  const auto left = probe.leaks_since(base, 5s);
  EXPECT_TRUE(left.empty()) << "not back to baseline:\n" << leak::describe(left);
}

INSTANTIATE_TEST_SUITE_P(Backends, OrmStream, ::testing::Values(backend::sqlite_file, backend::mariadb));

// Peak resident growth over a stream of `rows` items, keeping the first `keep` rows (the
// control: kept rows must show up, or the measurement could not fail).
std::size_t stream_growth(db::database& db, std::int64_t keep) {
  std::vector<item> kept;
  std::size_t base = 0, peak = 0;
  std::int64_t seen = 0;
  for (item& it : orm::select(items).stream(db)) {
    ++seen;
    if (seen <= keep) kept.push_back(std::move(it));
    if (seen == 1000) base = testing::resident_bytes();  // after the first rows: buffers warmed up
    if (seen % 10000 == 0) peak = std::max(peak, testing::resident_bytes());
  }
  EXPECT_GT(seen, 1000);
  return peak > base ? peak - base : 0;
}

TEST(OrmMariadbStream, MillionRowsKeepResidentGrowthUnder8MiB) {
  FIBERSQL_REQUIRE_MYSQL();
  fibersql::run([&] {
    db::database db{testing::test_mysql_url()};
    fresh_schema(db);
    fill(db, 1000000);
    const std::size_t growth = stream_growth(db, 0);
#if defined(__SANITIZE_ADDRESS__)
    // ASan parks freed blocks in its quarantine (256 MiB), so RSS tracks churn, not live data:
    // the bound is the release build's; here the 1M-row stream only runs.
    (void)growth;
#else
    EXPECT_LT(growth, 8u << 20) << "resident set grew by " << growth << " bytes over a 1M-row stream";
    const std::size_t control = stream_growth(db, 200000);  // 200k models kept: well over 8 MiB
    EXPECT_GT(control, 8u << 20) << "the control kept 200k rows and RSS grew only " << control << " bytes";
#endif
    orm::drop_tables(db, items, app::item_logs);
  });
}

// SQLite never waits on IO: the stream yields every few hundred rows so that 100 other fibers
// keep running. The latency figure (p99) is bench/orm_stream_bench's; here the structural
// fact: every ticker made progress during the stream, and no fiber held the hub 500 ms.
TEST(OrmSqliteStream, MillionRowsLetOtherFibersRun) {
  const std::string url = sqlite_file_url("orm_stream_million");
  testing::run_monitored(
      [&] {
        db::database db{url};
        fresh_schema(db);
        fill(db, 1000000);
        bool streaming = true;
        std::vector<int> ticks(100, 0);
        std::vector<fiber> tickers;
        for (int& t : ticks)
          tickers.push_back(spawn([&streaming, &t] {
            while (streaming) {
              this_fiber::sleep_for(1ms);
              ++t;
            }
          }));
        this_fiber::yield();
        std::fill(ticks.begin(), ticks.end(), 0);
        std::int64_t seen = 0;
        const auto t0 = clock::now();
        for (const item& it : orm::select(items).stream(db)) seen += it.n > 0 ? 1 : 0;
        const auto took = clock::now() - t0;
        streaming = false;
        for (fiber& f : tickers) f.join();
        EXPECT_EQ(seen, 1000000);
        const int fewest = *std::min_element(ticks.begin(), ticks.end());
        EXPECT_GE(fewest, 10) << "a ticker barely ran during a "
                              << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms stream";
      },
      500ms);
}

}  // namespace
}  // namespace fibersql::orm_test
