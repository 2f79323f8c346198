#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Running a rendered statement on a db::database: the calling fiber's own connection, its
// server's dialect (connection::server(): read once per connection, no query).
#include <fibersql/db/database.hpp>
#include <fibersql/orm/dialect.hpp>
#include <fibersql/orm/statement.hpp>

namespace fibersql::orm::detail {

// dialect_for: the dialect of the server behind the calling fiber's connection.
dialect dialect_for(db::database& db);
// run: a rendered statement through the connection's prepared-statement cache (the ORM's
// text is canonical, so a repeated query is one prepare per connection, then the binary
// protocol on MySQL).
fibersql::result run(db::database& db, const statement& s);
// run_text: db.execute, for statements whose text rarely repeats (bulk batches: their sizes
// vary, and MySQL caps a prepared statement at 65,535 parameters).
fibersql::result run_text(db::database& db, const statement& s);

}  // namespace fibersql::orm::detail
FIBERSQL_PUBLIC_END
