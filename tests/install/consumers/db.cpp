// fibersql::db alone: a database shared by fibers, each with its own connection.
#include <fibersql/db/database.hpp>
#include <fibersql/runtime/runtime.hpp>

int main() {
  return fibersql::run([] {
    fibersql::db::database db{"sqlite::memory:"};
    db.execute("CREATE TABLE t (x INTEGER)");
    std::vector<fibersql::fiber> writers;
    for (int i = 1; i <= 10; ++i)
      writers.push_back(fibersql::spawn([&, i] { db.execute("INSERT INTO t VALUES (?)", {i}); }));
    fibersql::join_all(writers);
    return db.query("SELECT SUM(x) FROM t").rows.at(0).get<int>(0) == 55 ? 0 : 1;
  });
}
