// replica_read_bench: point-select throughput at N fibers on the primary alone, then with the
// reads split between the primary and one replica through db::replicated_database (half the
// fibers read in a read_only() scope). Plain main, one line per mode and the ratio.
//   replica_read_bench <primary_url> <replica_url> [fibers=64] [seconds=5]
// The servers come from scripts/replication-pair.sh (docs/performance.md, "Read replicas").
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <fibersql/db/database.hpp>
#include <fibersql/db/replicated_database.hpp>
#include <fibersql/runtime/runtime.hpp>

using namespace fibersql;
using namespace std::chrono_literals;

namespace {

constexpr int table_rows = 10000;

double run_mode(db::replicated_database& db, int fibers, clock::duration length, bool split) {
  long long reads = 0;
  const deadline stop_at = deadline_after(length);
  std::vector<fiber> workers;
  for (int f = 0; f < fibers; ++f) {
    workers.push_back(spawn([&, f] {
      const bool on_replica = split && f % 2 == 1;
      for (long long i = f; clock::now() < stop_at; i += 7919) {
        const value id(static_cast<std::int64_t>(i % table_rows + 1));
        if (on_replica) {
          auto scope = db.read_only();
          db.query("SELECT v FROM bench_rows WHERE id = ?", {id});
        } else {
          db.query("SELECT v FROM bench_rows WHERE id = ?", {id});
        }
        ++reads;
      }
    }));
  }
  join_all(workers);
  return static_cast<double>(reads) / std::chrono::duration<double>(length).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s <primary_url> <replica_url> [fibers=64] [seconds=5]\n", argv[0]);
    return 2;
  }
  const int fibers = argc > 3 ? std::atoi(argv[3]) : 64;
  const auto length = std::chrono::seconds(argc > 4 ? std::atoi(argv[4]) : 5);
  return run([&] {
    std::vector<db::database> replicas;
    replicas.emplace_back(argv[2]);
    db::replicated_database db(db::database(argv[1]), std::move(replicas));
    db.execute("DROP TABLE IF EXISTS bench_rows");
    db.execute("CREATE TABLE bench_rows (id INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB");
    db.execute("INSERT INTO bench_rows SELECT seq, seq * 2 FROM seq_1_to_" + std::to_string(table_rows));
    {
      auto scope = db.read_only();  // waits until the replica has the rows
      db.query("SELECT COUNT(*) FROM bench_rows");
    }
    run_mode(db, fibers, 1s, false);  // warm both servers' buffer pools
    run_mode(db, fibers, 1s, true);
    const double alone = run_mode(db, fibers, length, false);
    const double split = run_mode(db, fibers, length, true);
    std::printf("primary alone:        %8.0f reads/s (%d fibers)\n", alone, fibers);
    std::printf("primary + 1 replica:  %8.0f reads/s (%d fibers, half in read_only scopes)\n", split, fibers);
    std::printf("ratio split/alone:    %8.2f\n", split / alone);
    return 0;
  });
}
