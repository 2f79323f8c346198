// Terminals' database side: the dialect of the fiber's connection, and db.execute.
#include <fibersql/orm/execute.hpp>

namespace fibersql::orm::detail {

dialect dialect_for(db::database& db) {
  return dialect_of(db.connection().server_version());
}

fibersql::result run(db::database& db, const statement& s) {
  return db.execute(s.text, s.params);
}

}  // namespace fibersql::orm::detail
