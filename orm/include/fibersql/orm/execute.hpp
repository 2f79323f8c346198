#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Running a rendered statement on a db::database (ORM part 2, started): the calling fiber's
// own connection, its server's dialect (connection::server_version(), no query).
#include <fibersql/db/database.hpp>
#include <fibersql/orm/dialect.hpp>
#include <fibersql/orm/statement.hpp>

namespace fibersql::orm::detail {

// dialect_for: the dialect of the server behind the calling fiber's connection.
dialect dialect_for(db::database& db);
// run: db.execute of a rendered statement.
fibersql::result run(db::database& db, const statement& s);

}  // namespace fibersql::orm::detail
FIBERSQL_PUBLIC_END
