// fibersql::pool alone: a pooled database with a small max_open (max_idle follows it down).
#include <fibersql/pool/pool.hpp>
#include <fibersql/runtime/runtime.hpp>

int main() {
  return fibersql::run([] {
    auto db = fibersql::pool::make_database("sqlite::memory:", {.max_open = 4});
    std::vector<fibersql::fiber> readers;
    for (int i = 0; i < 20; ++i) readers.push_back(fibersql::spawn([&, i] { db.query("SELECT ?", {i}); }));
    fibersql::join_all(readers);
    return fibersql::pool::pool_of(db)->stats().max_open == 4 ? 0 : 1;
  });
}
