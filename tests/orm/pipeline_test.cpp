// for_each_parallel: one fiber streams, N workers (each on its own connection) process; every
// row exactly once, the channel's bound holds and is reached (back-pressure), a worker's error
// stops the pipeline and reaches the caller, a kill of the caller stops every worker.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <vector>

#include <fibersql/runtime/runtime.hpp>

#include "stream_support.hpp"

namespace fibersql::orm_test {
namespace {

using namespace std::chrono_literals;
using app::item;
using app::items;
namespace fn = orm::fn;

class OrmPipeline : public backend_test {
 protected:
  // WAL on SQLite: workers write while the caller's stream reads.
  std::string url() const { return GetParam() == backend::mariadb ? url_ : url_ + "?journal_mode=wal"; }
};

TEST_P(OrmPipeline, EveryRowProcessedExactlyOnceWithinTheBound) {
  fibersql::run([&] {
    db::database db{url()};
    fresh_schema(db);
    fill(db, 3000);
    std::vector<int> seen(3001, 0);
    std::set<std::uint64_t> worker_fibers;
    std::size_t most_connections = 0;
    const orm::pipeline_result r =
        orm::for_each_parallel(db, orm::select(items), {.workers = 4, .capacity = 16}, [&](item& it) {
          ++seen.at(static_cast<std::size_t>(it.n));
          worker_fibers.insert(this_fiber::id());
          // Each worker has its own connection: it may read and write while the stream runs.
          EXPECT_EQ(orm::get_by_id(db, items, it.id).n, it.n);
          if (it.n % 10 == 0) {
            app::item_log log{.item_id = it.id};
            orm::insert(db, log);
          }
          most_connections = std::max(most_connections, db.stats().open_connections);
          this_fiber::sleep_for(50us);  // slower than the stream: the channel fills
        });
    EXPECT_EQ(r.rows, 3000u);
    EXPECT_EQ(r.processed, 3000u);
    EXPECT_EQ(std::count(seen.begin() + 1, seen.end(), 1), 3000) << "a row was skipped or processed twice";
    EXPECT_LE(r.peak_queued, 16u);
    EXPECT_EQ(r.peak_queued, 16u) << "the workers are slower: the stream must have waited on a full channel";
    EXPECT_EQ(worker_fibers.size(), 4u);
    EXPECT_EQ(most_connections, 5u) << "the stream's connection and one per worker";
    EXPECT_EQ(orm::select(fn::count()).from(app::item_logs).scalar(db), 300);
    EXPECT_EQ(db.stats().open_connections, 1u) << "the workers' connections went back when they ended";
  });
}

TEST_P(OrmPipeline, AWorkersErrorStopsThePipelineAndReachesTheCaller) {
  fibersql::run([&] {
    db::database db{url()};
    fresh_schema(db);
    fill(db, 5000);
    std::size_t processed = 0;
    try {
      orm::for_each_parallel(db, orm::select(items), {.workers = 3, .capacity = 8}, [&](item& it) {
        if (it.n == 100) throw std::runtime_error("bad item 100");
        ++processed;
        this_fiber::yield();
      });
      ADD_FAILURE() << "the worker's error was lost";
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "bad item 100");
    }
    EXPECT_LT(processed, 200u) << "the pipeline ran on after the error";
    EXPECT_LE(db.stats().open_connections, 1u);
    // The caller goes on: a fresh connection if the unfinished stream cost the old one.
    EXPECT_EQ(orm::select(fn::count()).from(items).scalar(db), 5000);
  });
}

TEST_P(OrmPipeline, AKillOfTheCallerStopsEveryWorker) {
  fibersql::run([&] {
    db::database db{url()};
    fresh_schema(db);
    fill(db, 5000);
    std::size_t processed = 0;
    fiber caller = spawn(
        [&] {
          orm::for_each_parallel(db, orm::select(items), {.workers = 4, .capacity = 8}, [&](item& it) {
            EXPECT_EQ(orm::get_by_id(db, items, it.id).id, it.id);  // a statement a kill may interrupt
            ++processed;
            this_fiber::sleep_for(1ms);
          });
        },
        {.name = "pipeline caller"});
    while (processed < 50) this_fiber::sleep_for(1ms);
    caller.kill();
    caller.join();  // a killed fiber's join does not rethrow its fiber_exit
    EXPECT_TRUE(caller.killed());
    const std::size_t at_kill = processed;
    this_fiber::sleep_for(50ms);
    EXPECT_EQ(processed, at_kill) << "a worker ran on after its caller was killed";
    EXPECT_LT(processed, 5000u);
    EXPECT_EQ(db.stats().open_connections, 1u) << "only this fiber's: the caller's and workers' went back\n"
                                               << db.dump();
    EXPECT_EQ(orm::select(fn::count()).from(items).scalar(db), 5000);
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, OrmPipeline, ::testing::Values(backend::sqlite_file, backend::mariadb));

TEST(OrmPipelineOptions, RefusesZeroWorkersOrCapacity) {
  fibersql::run([&] {
    db::database db{"sqlite::memory:"};
    const auto nothing = [](item&) {};
    EXPECT_THROW(orm::for_each_parallel(db, orm::select(items), {.workers = 0}, nothing), std::invalid_argument);
    EXPECT_THROW(orm::for_each_parallel(db, orm::select(items), {.capacity = 0}, nothing), std::invalid_argument);
  });
}

}  // namespace
}  // namespace fibersql::orm_test
