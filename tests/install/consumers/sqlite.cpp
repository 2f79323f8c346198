// fibersql::sqlite alone: an in-memory database, no hub needed.
#include <fibersql/sqlite/connection.hpp>

int main() {
  auto c = fibersql::sqlite::connection::open(":memory:");
  c->query("CREATE TABLE t (x INTEGER)");
  c->query("INSERT INTO t VALUES (?), (?)", {1, 2});
  return c->query("SELECT SUM(x) FROM t").rows.at(0).get<int>(0) == 3 ? 0 : 1;
}
