#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// The database hook behind statement_counter and repeat_detector (design §7.8): installed as
// database_options::on_statement, it hands each statement to the scopes open on the fiber
// that ran it, so what one fiber counts is never polluted by the fibers running beside it.
#include <fibersql/db/database_options.hpp>
#include <fibersql/db/statement_event.hpp>

namespace fibersql::orm {

// observe_statements: feeds e to the statement_counter and repeat_detector scopes open on the
// calling fiber (the hook runs on the statement's fiber). Without an open scope it costs one
// fiber-local lookup. Never throws.
void observe_statements(const db::statement_event& e) noexcept;

// observed: `o` with observe_statements added to its on_statement hook (a hook already set
// runs first): `db::database db{url, orm::observed()}`.
db::database_options observed(db::database_options o = {});

}  // namespace fibersql::orm
FIBERSQL_PUBLIC_END
