#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Everything of the pool layer: #include <fibersql/pool/pool.hpp>.
//
//   fibersql::pool::connection_pool pool(factory, {.max_open = 20});
//   {
//     auto conn = pool.acquire();          // waits (FIFO) while 20 are borrowed
//     conn->query("SELECT 1");
//   }                                      // returned: rolled back if needed, reset for the next
//
// or, peewee-style, a database whose fibers borrow at first use and return when they end:
//
//   auto db = fibersql::pool::make_database("mysql://app@db/shop", {.max_open = 20});
#include <fibersql/pool/connection_pool.hpp>
#include <fibersql/pool/options.hpp>
#include <fibersql/pool/pool_source.hpp>
#include <fibersql/pool/pooled_connection.hpp>
#include <fibersql/pool/pooled_database.hpp>
#include <fibersql/pool/stats.hpp>
FIBERSQL_PUBLIC_END
