#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// make_database: peewee-style code with pooling: a db::database whose fibers borrow from a
// connection_pool at first use and give back when they end.
#include <memory>
#include <string_view>

#include <fibersql/db/database.hpp>
#include <fibersql/pool/connection_pool.hpp>
#include <fibersql/pool/options.hpp>

namespace fibersql::pool {

// make_database: a database over a new pool whose connections come from `url`
// (db::url_source: "mysql://...", "sqlite:///path", "sqlite::memory:").
// Throws: interface_error for a URL no backend accepts; std::invalid_argument for bad options.
// Example: auto db = fibersql::pool::make_database(url, {.max_open = 20});
db::database make_database(std::string_view url, pool_options options = {}, db::database_options db_options = {});
// make_database: a database over an existing pool (several databases may share one).
db::database make_database(std::shared_ptr<connection_pool> pool, db::database_options db_options = {});

// pool_of: the pool behind `db`, or nullptr if its connections do not come from a pool.
connection_pool* pool_of(const db::database& db) noexcept;

}  // namespace fibersql::pool
FIBERSQL_PUBLIC_END
