// causal_read_bench: what a causal read costs on a Galera node, per form (issue 18): a plain
// point select; the statement-level form replicated_database::query() sends (SET STATEMENT
// wsrep_sync_wait=1 FOR SELECT ...); the barrier read(fn) runs before fn (a causal SELECT 1,
// then the select); and the session form (SET SESSION wsrep_sync_wait=1, select, set back).
// One fiber, one connection; the forms take turns in batches of 50 reads (so a noisy machine's
// swings hit them alike); median of 5 rounds, microseconds per read and the ratio to plain.
//   causal_read_bench <galera_node_url> [reads_per_round=2000]
// The cluster comes from scripts/galera-cluster.sh (docs/performance.md, "Causal reads").
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <fibersql/db/database.hpp>
#include <fibersql/runtime/runtime.hpp>

using namespace fibersql;

namespace {

constexpr const char* point_select = "SELECT v FROM causal_rows WHERE id = ?";
constexpr const char* causal_point_select =
    "SET STATEMENT wsrep_sync_wait=1 FOR SELECT v FROM causal_rows WHERE id = ?";

enum class form { plain, statement, barrier, session };

void one_read(db::database& db, form f, const value& id) {
  switch (f) {
    case form::plain:
      db.query(point_select, {id});
      break;
    case form::statement:
      db.query(causal_point_select, {id});
      break;
    case form::barrier:
      db.query("SET STATEMENT wsrep_sync_wait=1 FOR SELECT 1");
      db.query(point_select, {id});
      break;
    case form::session:
      db.execute("SET SESSION wsrep_sync_wait=1");
      db.query(point_select, {id});
      db.execute("SET SESSION wsrep_sync_wait=0");
      break;
  }
}

constexpr int batch = 50;

// micros_per_read: one round, `reads` of each form, in turns of `batch`.
std::array<double, 4> micros_per_read(db::database& db, const std::array<form, 4>& forms, int reads) {
  std::array<double, 4> total{};
  for (int done = 0; done < reads; done += batch)
    for (std::size_t f = 0; f < forms.size(); ++f) {
      const deadline started = clock::now();
      for (int i = done; i < done + batch; ++i) one_read(db, forms[f], value(static_cast<std::int64_t>(i % 1000 + 1)));
      total[f] += std::chrono::duration<double, std::micro>(clock::now() - started).count();
    }
  for (double& t : total) t /= reads;
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <galera_node_url> [reads_per_round=2000]\n", argv[0]);
    return 2;
  }
  const int reads = argc > 2 ? std::atoi(argv[2]) : 2000;
  if (reads <= 0 || reads % batch != 0) {
    std::fprintf(stderr, "reads_per_round must be a positive multiple of %d, got '%s'\n", batch, argv[2]);
    return 2;
  }
  return run([&] {
    db::database db(argv[1]);
    db.execute("DROP TABLE IF EXISTS causal_rows");
    db.execute("CREATE TABLE causal_rows (id INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB");
    db.execute("INSERT INTO causal_rows SELECT seq, seq * 2 FROM seq_1_to_1000");
    const std::array forms{form::plain, form::statement, form::barrier, form::session};
    const std::array names{"plain select", "SET STATEMENT ... FOR", "causal SELECT 1 + select",
                           "SET SESSION on/select/off"};
    std::array<std::vector<double>, 4> rounds;
    for (int round = 0; round < 6; ++round) {
      const std::array<double, 4> us = micros_per_read(db, forms, reads);
      if (round == 0) continue;  // round 0 warms the buffer pool and the session
      for (std::size_t f = 0; f < forms.size(); ++f) rounds[f].push_back(us[f]);
    }
    double plain = 0;
    for (std::size_t f = 0; f < forms.size(); ++f) {
      std::sort(rounds[f].begin(), rounds[f].end());
      const double median = rounds[f][rounds[f].size() / 2];
      if (f == 0) plain = median;
      std::printf("%-28s %8.1f us/read  x%.2f\n", names[f], median, median / plain);
    }
    db.execute("DROP TABLE causal_rows");
    return 0;
  });
}
