// orm_timeline_bench: the N+1 problem and its cures, measured (issue 16). Plain main.
//   orm_timeline_bench timeline <url> [rounds=5] [pages=100]
//     A timeline page: 20 users and the 3 newest tweets of each, over 1,000 users x 50 tweets,
//     rendered three ways: N+1 (get_by_id + one tweets query per user: 40 statements), one
//     JOIN (every tweet of the 20 users, cut to 3 each in C++: 1 statement), and prefetch
//     (the users, then prefetch with per_parent = 3: 2 statements). Prints statements per
//     page and the median and p90 page latency over rounds x pages renders of each, the ways
//     interleaved round by round.
//   orm_timeline_bench detector [url=sqlite::memory:] [rounds=5] [statements=50000]
//     The repeat detector's cost per statement: the same get_by_id loop on a database without
//     a hook, with orm::observed() and no scope open, with a repeat_detector scope open, and
//     with a detector and a statement_counter; then the observer alone on a synthetic event.
//     Prints the median ns/statement of each and the differences to the hook-less baseline.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include <fibersql/orm/orm.hpp>
#include <fibersql/runtime/runtime.hpp>

namespace orm = fibersql::orm;
using fibersql::db::database;

namespace app {
struct user {
  std::int64_t id = 0;
  std::string username;
  std::optional<std::string> email;
  fibersql::datetime joined{};
  std::int64_t login_count = 0;
};
struct tweet {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string content;
  fibersql::datetime created{};
  bool is_published = true;
};
FIBERSQL_TABLE(users, user, (id, auto_increment), (username, unique, max_length(64)), (email, max_length(255)),
               (joined, default_now), (login_count, default_value(0)));
FIBERSQL_TABLE(tweets, tweet, (id, auto_increment), (user_id, references(users.id), on_delete(cascade), index),
               (content, text), (created, default_now, index), (is_published, default_value(true)));
FIBERSQL_TABLE_META(tweets, orm::index(tweets.user_id, tweets.created));
}  // namespace app
using namespace app;

namespace {

constexpr int user_count = 1000, tweets_per_user = 50, page_users = 20, per_user = 3;

void seed(database& db) {
  orm::drop_tables(db, tweets, users);
  orm::create_tables(db, tweets, users);
  std::vector<user> people;
  for (int i = 0; i < user_count; ++i) people.push_back({.username = "user" + std::to_string(i)});
  orm::insert_many(db, people);
  std::vector<tweet> posts;
  for (int k = 0; k < tweets_per_user; ++k)
    for (int i = 0; i < user_count; ++i)
      posts.push_back({.user_id = i + 1,
                       .content = "tweet " + std::to_string(k) + " of user " + std::to_string(i),
                       .created = fibersql::datetime{std::chrono::seconds(1'700'000'000 + k * 60 + i % 60)}});
  orm::insert_many(db, posts);
  // Fresh statistics, so the planner knows tweets(user_id, created) is selective.
  if (orm::detail::dialect_for(db).mysql_family())
    db.query("ANALYZE TABLE users, tweets");
  else
    db.execute("ANALYZE");
}

// A page: each of the 20 users with their 3 newest tweets.
struct page_entry {
  user author;
  std::vector<tweet> latest;
};
using page = std::vector<page_entry>;

std::vector<std::int64_t> page_ids(int page_no) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < page_users; ++i) ids.push_back(1 + (page_no * 37 + i * 13) % user_count);
  return ids;
}

const auto newest_first = [] { return orm::select(tweets).order_by(tweets.created.desc(), tweets.id.desc()); };

page n_plus_one(database& db, const std::vector<std::int64_t>& ids) {
  page out;
  for (std::int64_t id : ids)
    out.push_back({orm::get_by_id(db, users, id), newest_first().where(tweets.user_id == id).limit(per_user).all(db)});
  return out;
}

page joined(database& db, const std::vector<std::int64_t>& ids) {
  page out;
  for (auto& [t, u] : orm::select(tweets, users)
                          .join(users)
                          .where(users.id.in(ids))
                          .order_by(users.id, tweets.created.desc(), tweets.id.desc())
                          .all(db)) {
    if (out.empty() || out.back().author.id != u.id) out.push_back({std::move(u), {}});
    if (out.back().latest.size() < per_user) out.back().latest.push_back(std::move(t));
  }
  return out;
}

page prefetched(database& db, const std::vector<std::int64_t>& ids) {
  const std::vector<user> people = orm::select(users).where(users.id.in(ids)).all(db);
  const auto latest = orm::prefetch(db, people, tweets.user_id, newest_first(), {.per_parent = per_user});
  page out;
  for (const user& u : people) {
    const auto span = latest.children_of(u);
    out.push_back({u, {span.begin(), span.end()}});
  }
  return out;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

int timeline(const std::string& url, int rounds, int pages) {
  return fibersql::run([&] {
    database db{url, orm::observed()};
    seed(db);
    struct way {
      const char* name;
      page (*render)(database&, const std::vector<std::int64_t>&);
      std::vector<double> us;
      std::uint64_t statements = 0;
    };
    std::vector<way> ways{{"N+1 (get_by_id + per-user query)", n_plus_one, {}, 0},
                          {"one JOIN, cut to 3 in C++", joined, {}, 0},
                          {"prefetch, per_parent = 3", prefetched, {}, 0}};
    for (way& w : ways) {  // warm-up, and the pages must agree
      orm::statement_counter counter;
      const page p = w.render(db, page_ids(0));
      w.statements = counter.count();
      std::size_t tweets_seen = 0;
      for (const page_entry& e : p) tweets_seen += e.latest.size();
      if (p.size() != page_users || tweets_seen != page_users * per_user) {
        std::fprintf(stderr, "%s rendered %zu users, %zu tweets\n", w.name, p.size(), tweets_seen);
        return 1;
      }
    }
    for (int r = 0; r < rounds; ++r)
      for (way& w : ways)
        for (int i = 0; i < pages; ++i) {
          const auto t0 = std::chrono::steady_clock::now();
          w.render(db, page_ids(r * pages + i));
          w.us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
        }
    std::printf("timeline page (%d users x %d newest tweets; %d users x %d tweets), %d renders each:\n", page_users,
                per_user, user_count, tweets_per_user, rounds * pages);
    const double base = percentile(ways[0].us, 0.5);
    for (const way& w : ways)
      std::printf("  %-34s %3llu statements  median %8.1f us  p90 %8.1f us  (%.2fx N+1)\n", w.name,
                  static_cast<unsigned long long>(w.statements), percentile(w.us, 0.5), percentile(w.us, 0.9),
                  percentile(w.us, 0.5) / base);
    if (std::getenv("KEEP_TABLES") == nullptr) orm::drop_tables(db, tweets, users);
    return 0;
  });
}

// ns per statement of `statements` get_by_id calls on db, with `scopes` opening the scopes.
double loop_ns(database& db, int statements, const std::function<void(const std::function<void()>&)>& scopes) {
  double ns = 0;
  scopes([&] {
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < statements; ++i) orm::get_by_id(db, users, 1 + i % user_count);
    ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count() / statements;
  });
  return ns;
}

int detector(const std::string& url, int rounds, int statements) {
  return fibersql::run([&] {
    database plain{url};
    database observed{url, orm::observed()};
    seed(plain);
    if (url == "sqlite::memory:") seed(observed);  // two in-memory databases, two copies
    struct mode {
      const char* name;
      database* db;
      std::function<void(const std::function<void()>&)> scopes;
      std::vector<double> ns;
    };
    const auto silent = orm::repeat_options{.threshold = 10, .on_repeat = [](const orm::repeat_report&) {}};
    std::vector<mode> modes{
        {"no hook (baseline)", &plain, [](const std::function<void()>& f) { f(); }, {}},
        {"orm::observed(), no scope", &observed, [](const std::function<void()>& f) { f(); }, {}},
        {"+ repeat_detector scope",
         &observed,
         [&](const std::function<void()>& f) {
           orm::repeat_detector d(silent);
           f();
         },
         {}},
        {"+ detector + statement_counter",
         &observed,
         [&](const std::function<void()>& f) {
           orm::repeat_detector d(silent);
           orm::statement_counter c;
           f();
         },
         {}},
    };
    for (mode& m : modes) loop_ns(*m.db, statements / 10, m.scopes);  // warm-up
    for (int r = 0; r < rounds; ++r)
      for (mode& m : modes) m.ns.push_back(loop_ns(*m.db, statements, m.scopes));
    const std::string scheme = url.substr(0, url.find(':'));  // not the URL: it may hold a password
    std::printf("get_by_id loop on %s, %d statements x %d rounds (median ns/statement):\n", scheme.c_str(), statements,
                rounds);
    const double base = percentile(modes[0].ns, 0.5);
    for (const mode& m : modes)
      std::printf("  %-32s %9.1f ns  (%+.1f ns, %+.2f%%)\n", m.name, percentile(m.ns, 0.5),
                  percentile(m.ns, 0.5) - base, 100.0 * (percentile(m.ns, 0.5) - base) / base);

    // The observer alone: what one statement costs it with a detector and a counter open.
    const std::string sql = orm::select(users).where(users.id == 1).limit(1).sql(orm::sqlite()).text;
    fibersql::db::statement_event e;
    e.fiber_id = fibersql::this_fiber::id();
    e.sql = sql;
    e.rows = 1;
    const auto observe_ns = [&] {
      std::vector<double> ns;
      for (int r = 0; r < rounds; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        for (int i = 0; i < statements; ++i) orm::observe_statements(e);
        ns.push_back(std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - t0).count() /
                     statements);
      }
      return percentile(ns, 0.5);
    };
    const double no_scope = observe_ns();
    double with_scopes = 0;
    {
      orm::repeat_detector d(silent);
      orm::statement_counter c;
      with_scopes = observe_ns();
    }
    std::printf(
        "  observe_statements alone, %zu-byte lookup SQL: no scope open %.1f ns, detector + counter open %.1f ns\n",
        sql.size(), no_scope, with_scopes);
    orm::drop_tables(plain, tweets, users);
    return 0;
  });
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "timeline" && argc > 2)
    return timeline(argv[2], argc > 3 ? std::atoi(argv[3]) : 5, argc > 4 ? std::atoi(argv[4]) : 100);
  if (mode == "detector")
    return detector(argc > 2 ? argv[2] : "sqlite::memory:", argc > 3 ? std::atoi(argv[3]) : 5,
                    argc > 4 ? std::atoi(argv[4]) : 50000);
  std::fprintf(stderr,
               "usage: %s timeline <url> [rounds=5] [pages=100]\n"
               "       %s detector [url=sqlite::memory:] [rounds=5] [statements=50000]\n",
               argv[0], argv[0]);
  return 2;
}
