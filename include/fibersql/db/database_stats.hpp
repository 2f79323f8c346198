#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// What a database can say about its connections: counts, holders, abandoned transactions.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <fibersql/db/abandoned_transaction.hpp>
#include <fibersql/runtime/clock.hpp>

namespace fibersql::db {

// One fiber's connection, as stats() saw it.
struct held_connection {
  std::uint64_t fiber_id = 0;
  std::string fiber_name{};
  std::string backend{};                    // "mysql" or "sqlite"
  std::uint64_t server_thread_id = 0;       // MySQL CONNECTION_ID(); 0 for SQLite
  unsigned transaction_depth = 0;           // open atomic() scopes (1 = transaction, 2+ = savepoints)
  bool in_transaction = false;              // the backend reports an open transaction
  std::string current_statement{};          // running now through the database; "" when idle
  clock::duration statement_running_for{};  // how long current_statement has run; 0 when idle
  std::string last_statement{};             // the latest statement run through the database
  clock::duration held_for{};               // since the fiber acquired the connection
};

struct database_stats {
  std::string source{};                                   // connection_source::describe()
  std::size_t open_connections = 0;                       // held by fibers right now
  std::uint64_t opened = 0;                               // acquired from the source since the database was made
  std::uint64_t closed = 0;                               // released to the source since then (any reason)
  std::uint64_t discarded_broken = 0;                     // of `closed`: released because they were broken
  std::uint64_t acquire_failures = 0;                     // acquire() calls that threw
  std::uint64_t abandoned_total = 0;                      // transactions the hook had to roll back
  std::vector<held_connection> holders{};                 // one per open connection
  std::vector<abandoned_transaction> recent_abandoned{};  // newest last, bounded

  // dump: a human-readable table of the above, one line per held connection.
  std::string dump() const;
};

}  // namespace fibersql::db
FIBERSQL_PUBLIC_END
