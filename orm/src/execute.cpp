// Terminals' database side: the dialect of the fiber's connection (kept by the connection),
// and the statement run through its prepared-statement cache.
#include <fibersql/orm/execute.hpp>
#include <fibersql/orm/schema.hpp>

#include "detail/renderer.hpp"

namespace fibersql::orm::detail {

dialect dialect_for(db::database& db) {
  return dialect_of(db.connection().server());
}

fibersql::result run(db::database& db, const statement& s) {
  return db.execute_prepared(s.text, s.params);
}

fibersql::result run_text(db::database& db, const statement& s) {
  return db.execute(s.text, s.params);
}

void run_ddl(db::database& db, const std::vector<std::string>& statements, std::string_view what) {
  if (dialect_for(db).mysql_family()) {
    if (db.connection().in_transaction())
      fail_programming(std::string(what) +
                       " inside an open transaction on MySQL/MariaDB: DDL would commit the caller's work "
                       "implicitly; run it outside atomic()");
    for (const std::string& s : statements) db.execute(s);
    return;
  }
  db.atomic([&] {
    for (const std::string& s : statements) db.execute(s);
  });
}

}  // namespace fibersql::orm::detail
