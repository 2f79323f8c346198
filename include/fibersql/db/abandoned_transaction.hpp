#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// A transaction that a fiber left open when it ended: a bug in the caller's code, reported so
// that users can find it (the hook rolled it back; nothing was committed).
#include <cstdint>
#include <string>

#include <fibersql/runtime/clock.hpp>

namespace fibersql::db {

struct abandoned_transaction {
  std::uint64_t fiber_id = 0;          // the fiber that ended with the transaction open
  std::string fiber_name{};            // its spawn name ("" if unnamed)
  clock::duration held_for{};          // how long the fiber had held its connection
  std::string last_statement{};        // the last statement it ran through the database (truncated)
  unsigned transaction_depth = 0;      // atomic() scopes still open (0: a bare begin())
  std::string backend{};               // "mysql" or "sqlite"
  std::uint64_t server_thread_id = 0;  // the session's id on the server (0 for SQLite)
  bool rolled_back = false;            // false if the rollback failed (the connection was discarded)
};

}  // namespace fibersql::db
FIBERSQL_PUBLIC_END
