// orm_overhead: what the ORM costs over hand-written db.query, in the same run (issue 15,
// docs/performance.md "ORM overhead"). Plain main; the table shows medians over rounds.
//
//   orm_overhead <url> [--fibers 64] [--seconds 3] [--rounds 3] [--bulk 100000 | 0] [--turn-ms 250]
//                [--only VARIANT]
//
// Point select by primary key on sbtest1 (10,000 rows; created and filled when absent, the
// table gevent_peewee.py --mode model reads), `fibers` fibers on one hub per variant, each with
// its own connection, kept for the whole measurement. The variants take turns of --turn-ms
// until each has run --seconds in the round (see `lanes`):
//   query     db.query(the ORM's own SQL text, {id}) + row.get<...>(i) into the struct
//   prepared  the same through db.execute_prepared (the connection's cache, no ORM): what the
//             binary protocol itself costs the client
//   orm_text  orm::select(sbtest).where(sbtest.id == id).get(db) with the connection's
//             prepared-statement cache off: the same text statement, plus the ORM's work
//   orm       the same call with the cache (MySQL: COM_STMT_PREPARE once per connection,
//             then the binary protocol; SQLite: the statement compiled once)
// Bulk insert of --bulk rows into an empty table, one fiber:
//   insert_many   orm::insert_many (ids filled in by RETURNING)
//   insert_many_ids_given  the same rows with their ids set: no RETURNING
//   multirow_text hand-written multi-row INSERT strings (1,000 rows each) through db.execute,
//                 in one transaction
//   per_row       one db.execute("INSERT ... VALUES (?, ?, ?)") per row, in one transaction
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include <sys/resource.h>

#include <fibersql/db/database.hpp>
#include <fibersql/orm/orm.hpp>
#include <fibersql/runtime/runtime.hpp>

namespace bench {
namespace orm = fibersql::orm;
using fibersql::db::database;

struct sbrow {
  std::int64_t id = 0;
  std::int32_t k = 0;
  std::string c;
  std::string pad;
};
FIBERSQL_TABLE_AS(sbtest, "sbtest1", sbrow, (id, auto_increment), (k), (c, max_length(120)), (pad, max_length(60)));
// The bulk target: the same columns in a table of its own (one table per model type).
struct bulk_row {
  std::int64_t id = 0;
  std::int32_t k = 0;
  std::string c;
  std::string pad;
};
FIBERSQL_TABLE_AS(bulk_rows, "orm_bulk_rows", bulk_row, (id, auto_increment), (k), (c, max_length(120)),
                  (pad, max_length(60)));

constexpr std::int64_t table_rows = 10000;

struct args {
  std::string url;
  int fibers = 64;
  double seconds = 3;
  int rounds = 3;
  std::size_t bulk = 100000;
  std::string only;   // one point-select variant alone (for a profiler), empty: all of them
  int turn_ms = 250;  // the point-select variants take turns this long
};

template <class Row>
Row make_row(std::int64_t i) {
  return {0, static_cast<std::int32_t>(i % 1000), "c-" + std::to_string(i) + std::string(40, 'x'),
          "pad-" + std::to_string(i)};
}

void ensure_table(database& db) {
  orm::create_tables(db, sbtest);
  if (orm::select(sbtest).count(db) >= table_rows) return;
  orm::delete_from(sbtest).all_rows().execute(db);
  std::vector<sbrow> rows;
  for (std::int64_t i = 1; i <= table_rows; ++i) rows.push_back(make_row<sbrow>(i));
  orm::insert_many(db, std::span<sbrow>(rows));
}

enum class variant { query, prepared, orm_text, orm };
constexpr variant all_variants[] = {variant::query, variant::prepared, variant::orm_text, variant::orm};
const char* name_of(variant v) {
  return v == variant::query      ? "query"
         : v == variant::prepared ? "prepared"
         : v == variant::orm_text ? "orm_text"
                                  : "orm";
}

// This process's CPU time (user + system) in µs: the client's side of every statement (the
// server, for MariaDB, is another process), steadier than wall time on a shared machine.
// Context switches too (voluntary: the hub slept in epoll_wait; involuntary: preempted), which
// decide much of the system time once the server shares the cores.
struct usage {
  double cpu_us = 0;
  double switches = 0;
};
usage usage_now() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return {(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 + ru.ru_utime.tv_usec + ru.ru_stime.tv_usec,
          static_cast<double>(ru.ru_nvcsw + ru.ru_nivcsw)};
}

struct run_figures {
  double qps = 0;
  double cpu_us_per_query = 0;
  double switches_per_query = 0;
};

// One point select of variant v by id; the row's k (kept, so the decode is not optimised out).
std::int64_t point_select_one(database& db, variant v, const orm::statement& stmt, std::vector<fibersql::value>& params,
                              std::int64_t id) {
  if (v == variant::query || v == variant::prepared) {
    params[0] = fibersql::value(id);
    const fibersql::result r =
        v == variant::query ? db.query(stmt.text, params) : db.execute_prepared(stmt.text, params);
    const fibersql::row& row = r.rows.at(0);
    const sbrow s{row.get<std::int64_t>(0), row.get<std::int32_t>(1), row.get<std::string>(2), row.get<std::string>(3)};
    return s.k;
  }
  return orm::select(sbtest).where(sbtest.id == id).get(db).k;
}

// The point-select variants take turns. Each keeps its `fibers` fibers, and so their
// connections and caches, for the whole measurement (opened in an unmeasured first turn) and
// runs alone for `turn` at a time until it has run its share of a round. Turns a fraction of a
// second long spread a shared machine's drifting load over every variant alike: whole runs of
// one variant at a time moved the ratios by +-20% from round to round here.
class lanes {
 public:
  lanes(const args& a, database& db, const std::vector<variant>& variants) : db_(db) {
    stmt_ = orm::select(sbtest).where(sbtest.id == 0).limit(1).sql(orm::dialect_of(db.connection().server()));
    for (variant v : variants) lanes_.push_back(std::make_unique<lane>(v));
    for (auto& l : lanes_)
      for (int f = 0; f < a.fibers; ++f) l->fibers.push_back(fibersql::spawn([this, &l = *l, f] { work(l, f); }));
    for (auto& l : lanes_) turn(*l, std::chrono::milliseconds(200));  // connect, prepare, warm up
  }
  ~lanes() {
    stopping_ = true;
    for (auto& l : lanes_) l->go.set();
    for (auto& l : lanes_) fibersql::join_all(l->fibers);
  }

  // round: every variant runs `seconds` in turns of `turn_length`; the figures of each.
  std::map<variant, run_figures> round(double seconds, fibersql::clock::duration turn_length) {
    std::map<variant, totals> sum;
    const auto share = std::chrono::duration_cast<fibersql::clock::duration>(std::chrono::duration<double>(seconds));
    for (fibersql::clock::duration ran{}; ran < share; ran += turn_length)
      for (auto& l : lanes_) sum[l->v] += turn(*l, turn_length);
    std::map<variant, run_figures> out;
    for (const auto& [v, t] : sum) {
      const double n = t.done > 0 ? static_cast<double>(t.done) : 1;
      out[v] = {static_cast<double>(t.done) / t.seconds, t.cpu_us / n, t.switches / n};
    }
    return out;
  }

 private:
  struct lane {
    explicit lane(variant v) : v(v) {}
    variant v;
    fibersql::event go, drained;
    fibersql::deadline until{};
    long long done = 0;
    int in_flight = 0;
    std::vector<fibersql::fiber> fibers;
  };
  struct totals {
    long long done = 0;
    double seconds = 0, cpu_us = 0, switches = 0;
    totals& operator+=(const totals& o) {
      done += o.done, seconds += o.seconds, cpu_us += o.cpu_us, switches += o.switches;
      return *this;
    }
  };

  void work(lane& l, int f) {
    std::vector<fibersql::value> params = stmt_.params;
    if (l.v == variant::orm_text) db_.connection().set_prepared_cache_capacity(0);
    std::int64_t sum = 0;
    for (std::int64_t i = f * 7919; !stopping_; i += 104729) {
      if (!l.go.is_set()) {
        l.go.wait();
        continue;
      }
      if (fibersql::clock::now() >= l.until) {  // the turn is over (SQLite never yields: checked here)
        l.go.clear();
        if (l.in_flight == 0) l.drained.set();
        continue;
      }
      ++l.in_flight;
      sum += point_select_one(db_, l.v, stmt_, params, i % table_rows + 1);
      --l.in_flight;
      ++l.done;
      if (!l.go.is_set() && l.in_flight == 0) l.drained.set();
    }
    if (sum < 0) std::abort();  // keeps the decode
  }

  // turn: lane l alone for `length`, then until its statements in flight are done (the tail
  // runs below full concurrency for about one round trip: alike for every variant).
  totals turn(lane& l, fibersql::clock::duration length) {
    l.drained.clear();
    const long long done0 = l.done;
    const usage u0 = usage_now();
    const auto t0 = std::chrono::steady_clock::now();
    l.until = fibersql::deadline_after(length);
    l.go.set();
    l.drained.wait();  // set by the last of the lane's fibers to finish after `until`
    const usage u1 = usage_now();
    return {l.done - done0, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(),
            u1.cpu_us - u0.cpu_us, u1.switches - u0.switches};
  }

  database& db_;
  orm::statement stmt_;  // the ORM's own text and values for get(): `... WHERE id = ? LIMIT ?`
  std::vector<std::unique_ptr<lane>> lanes_;
  bool stopping_ = false;
};

double seconds_of(const std::function<void()>& fn) {
  const auto t0 = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// One bulk run per way: seconds to insert a.bulk rows into an empty table.
std::map<std::string, double> bulk(const args& a, database& db) {
  std::map<std::string, double> out;
  orm::drop_tables(db, bulk_rows);
  orm::create_tables(db, bulk_rows);
  const auto empty = [&] { orm::delete_from(bulk_rows).all_rows().execute(db); };
  std::vector<bulk_row> rows;
  for (std::size_t i = 0; i < a.bulk; ++i) rows.push_back(make_row<bulk_row>(static_cast<std::int64_t>(i)));

  out["insert_many"] = seconds_of([&] { orm::insert_many(db, std::span<bulk_row>(rows)); });
  empty();
  // Ids given (as the hand-written strings leave them to the server and never read them): no
  // RETURNING, so this is the ORM's rendering and binding alone.
  std::vector<bulk_row> keyed = rows;
  for (std::size_t i = 0; i < keyed.size(); ++i) keyed[i].id = static_cast<std::int64_t>(i + 1);
  out["insert_many_ids_given"] = seconds_of([&] { orm::insert_many(db, std::span<bulk_row>(keyed)); });
  empty();
  out["multirow_text"] = seconds_of([&] {
    db.atomic([&] {
      for (std::size_t i = 0; i < rows.size();) {
        std::string sql = "INSERT INTO orm_bulk_rows (k, c, pad) VALUES ";
        for (std::size_t n = 0; n < 1000 && i < rows.size(); ++n, ++i) {
          if (n) sql += ", ";
          sql += "(" + std::to_string(rows[i].k) + ", '" + rows[i].c + "', '" + rows[i].pad + "')";
        }
        db.execute(sql);
      }
    });
  });
  empty();
  out["per_row"] = seconds_of([&] {
    db.atomic([&] {
      for (const bulk_row& r : rows)
        db.execute("INSERT INTO orm_bulk_rows (k, c, pad) VALUES (?, ?, ?)",
                   {fibersql::value(std::int64_t{r.k}), fibersql::value(r.c), fibersql::value(r.pad)});
    });
  });
  orm::drop_tables(db, bulk_rows);
  return out;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

args parse(int argc, char** argv) {
  args a;
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: %s <url> [--fibers N] [--seconds S] [--rounds R] [--bulk ROWS|0] [--turn-ms MS] "
                 "[--only query|prepared|orm_text|orm]\n",
                 argv[0]);
    std::exit(2);
  }
  a.url = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    const char* v = argv[i + 1];
    if (k == "--fibers")
      a.fibers = std::atoi(v);
    else if (k == "--seconds")
      a.seconds = std::atof(v);
    else if (k == "--turn-ms")
      a.turn_ms = std::atoi(v);
    else if (k == "--rounds")
      a.rounds = std::atoi(v);
    else if (k == "--bulk")
      a.bulk = static_cast<std::size_t>(std::atoll(v));
    else if (k == "--only" && std::any_of(std::begin(all_variants), std::end(all_variants),
                                          [&](variant x) { return name_of(x) == std::string(v); }))
      a.only = v;
    else {
      std::fprintf(stderr, "orm_overhead: unknown option '%s %s' (--only takes query|prepared|orm_text|orm)\n",
                   k.c_str(), v);
      std::exit(2);
    }
  }
  if (a.fibers < 1 || a.seconds <= 0 || a.rounds < 1 || a.turn_ms < 1) {
    std::fprintf(stderr, "orm_overhead: --fibers, --seconds, --rounds and --turn-ms must be positive\n");
    std::exit(2);
  }
  return a;
}

}  // namespace bench

int main(int argc, char** argv) {
  using namespace bench;
  const args a = parse(argc, argv);
  return fibersql::run([&] {
    // One database for every run (sqlite::memory: is one database per source); each worker
    // fiber opens its own connection, so every run starts with empty caches.
    database db{a.url};
    ensure_table(db);
    std::map<std::string, std::vector<double>> qps, cpu, switches, secs;
    std::vector<variant> variants;
    for (variant v : all_variants)
      if (a.only.empty() || a.only == name_of(v)) variants.push_back(v);
    lanes point_selects(a, db, variants);
    for (int round = 1; round <= a.rounds; ++round) {
      for (const auto& [v, f] : point_selects.round(a.seconds, std::chrono::milliseconds(a.turn_ms))) {
        qps[name_of(v)].push_back(f.qps);
        cpu[name_of(v)].push_back(f.cpu_us_per_query);
        switches[name_of(v)].push_back(f.switches_per_query);
        std::printf("round %d point_select %-8s fibers=%d qps=%.0f cpu_us_per_query=%.2f switches_per_query=%.3f\n",
                    round, name_of(v), a.fibers, f.qps, f.cpu_us_per_query, f.switches_per_query);
      }
      if (a.bulk > 0) {
        for (const auto& [way, s] : bulk(a, db)) {
          secs[way].push_back(s);
          std::printf("round %d bulk %-21s rows=%zu seconds=%.3f\n", round, way.c_str(), a.bulk, s);
        }
      }
      std::fflush(stdout);
    }
    if (!a.only.empty()) return 0;  // one variant: its rounds above are the figures
    const double query = median(qps["query"]), prepared = median(qps["prepared"]), orm_text = median(qps["orm_text"]),
                 orm = median(qps["orm"]);
    std::printf("median point_select fibers=%d query_qps=%.0f prepared_qps=%.0f orm_text_qps=%.0f orm_qps=%.0f\n",
                a.fibers, query, prepared, orm_text, orm);
    std::printf("median cpu_us_per_query query=%.2f prepared=%.2f orm_text=%.2f orm=%.2f\n", median(cpu["query"]),
                median(cpu["prepared"]), median(cpu["orm_text"]), median(cpu["orm"]));
    std::printf("median switches_per_query query=%.3f prepared=%.3f orm_text=%.3f orm=%.3f\n",
                median(switches["query"]), median(switches["prepared"]), median(switches["orm_text"]),
                median(switches["orm"]));
    std::printf(
        "ratio time orm_text/query=%.3f (target <= 1.3 sqlite, <= 1.05 mariadb); qps orm/query=%.3f "
        "(target >= 1.0 mariadb); cpu orm_text/query=%.3f orm/query=%.3f prepared/query=%.3f orm/prepared=%.3f\n",
        query / orm_text, orm / query, median(cpu["orm_text"]) / median(cpu["query"]),
        median(cpu["orm"]) / median(cpu["query"]), median(cpu["prepared"]) / median(cpu["query"]),
        median(cpu["orm"]) / median(cpu["prepared"]));
    // The same ratios taken within each round, then the median: the variants of one round run
    // seconds apart, so this follows a shared machine's drifting load better than the ratio
    // of medians above.
    std::vector<double> cpu_ratio, qps_ratio, text_time;
    for (std::size_t r = 0; r < qps["query"].size(); ++r) {
      cpu_ratio.push_back(cpu["orm"][r] / cpu["query"][r]);
      qps_ratio.push_back(qps["orm"][r] / qps["query"][r]);
      text_time.push_back(qps["query"][r] / qps["orm_text"][r]);
    }
    std::printf("per-round median time orm_text/query=%.3f qps orm/query=%.3f cpu orm/query=%.3f\n", median(text_time),
                median(qps_ratio), median(cpu_ratio));
    if (a.bulk > 0) {
      const double many = median(secs["insert_many"]), text = median(secs["multirow_text"]),
                   per_row = median(secs["per_row"]);
      std::printf("median bulk rows=%zu insert_many_s=%.3f multirow_text_s=%.3f per_row_s=%.3f\n", a.bulk, many, text,
                  per_row);
      const double given = median(secs["insert_many_ids_given"]);
      std::printf("median bulk insert_many_ids_given_s=%.3f\n", given);
      std::printf(
          "ratio time insert_many/multirow_text=%.3f insert_many_ids_given/multirow_text=%.3f (target <= 1.0); "
          "per_row/insert_many=%.2f\n",
          many / text, given / text, per_row / many);
    }
    return 0;
  });
}
