// orm_render_bench: what building and rendering an ORM query costs, next to running one
// statement through db.query on sqlite::memory: (docs/performance.md, "ORM").
//
// * build_and_render: orm::select(users).where(3 predicates).sql(orm::sqlite()) — the query
//   value built from scratch and rendered to text + 3 bound values, every iteration.
// * render_only: the same query built once, rendered every iteration.
// * db_query_roundtrip: db.query() of the same SQL text with the same 3 values on an
//   in-memory SQLite table of 1,000 rows (a primary-key hit: one row returned), on a fiber.
#include <cstdint>
#include <optional>
#include <string>

#include <benchmark/benchmark.h>

#include <fibersql/db/database.hpp>
#include <fibersql/orm/orm.hpp>
#include <fibersql/runtime/runtime.hpp>

namespace bench {
namespace orm = fibersql::orm;

struct user {
  std::int64_t id = 0;
  std::string username;
  std::optional<std::string> email;
  std::int64_t login_count = 0;
};
FIBERSQL_TABLE(users, user, (id, auto_increment), (username, unique, max_length(64)), (email), (login_count));

auto typical(std::string_view name, std::int64_t min_logins, std::int64_t id) {
  return orm::select(users).where(users.username == name && users.login_count > min_logins && users.id == id);
}

void build_and_render(benchmark::State& state) {
  std::int64_t i = 0;
  for (auto _ : state) {
    orm::statement s = typical("ann", 3, ++i).sql(orm::sqlite());
    benchmark::DoNotOptimize(s.text.data());
  }
}

void render_only(benchmark::State& state) {
  const auto q = typical("ann", 3, 7);
  for (auto _ : state) {
    orm::statement s = q.sql(orm::sqlite());
    benchmark::DoNotOptimize(s.text.data());
  }
}

void db_query_roundtrip(benchmark::State& state) {
  fibersql::db::database db{"sqlite::memory:"};
  fibersql::run([&] {
    for (const std::string& ddl : orm::schema_sql(orm::sqlite(), users)) db.execute(ddl);
    for (std::int64_t k = 1; k <= 1000; ++k) {
      std::string name = "u";
      name += std::to_string(k);
      db.execute("INSERT INTO users (id, username, login_count) VALUES (?, ?, ?)",
                 {fibersql::value(k), fibersql::value(std::move(name)), fibersql::value(k % 10)});
    }
    const orm::statement s = typical("u7", 3, 7).sql(orm::sqlite());
    for (auto _ : state) {
      fibersql::result r = db.query(s.text, s.params);
      benchmark::DoNotOptimize(r.rows.data());
    }
  });
}

BENCHMARK(build_and_render);
BENCHMARK(render_only);
BENCHMARK(db_query_roundtrip);

}  // namespace bench

BENCHMARK_MAIN();
