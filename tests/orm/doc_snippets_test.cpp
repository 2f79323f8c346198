// Runs every snippet of docs/orm.md, in order, on one in-memory SQLite database (the
// snippets' asserts are the checks; NDEBUG is undefined in the generated file).
#include <gtest/gtest.h>

#include <fibersql/db/database.hpp>
#include <fibersql/runtime/runtime.hpp>

namespace doc {
void run_all_snippets(fibersql::db::database& db);
}

TEST(orm_doc_snippets, run_in_order_on_sqlite) {
  fibersql::db::database db{"sqlite::memory:"};
  fibersql::run([&] { doc::run_all_snippets(db); });
}
