#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// connection_scope: peewee's connection_context(). A database lends a fiber its connection
// for the fiber's whole life; a long-lived fiber (a worker loop, a keep-alive handler) would
// hold a pooled connection forever. Inside a scope the fiber still gets its connection at
// first use, and the scope's end hands it back to the source (the pool).
#include <memory>

namespace fibersql::db {

namespace detail {
struct fiber_slot;
}

class database;

// connection_scope: returned by database::connection_scope(). Move-only; belongs to the fiber
// that made it. Scopes nest: the outermost one's end returns the connection. A transaction
// still open at that point (an atomic() scope that outlives it, a raw begin()) keeps the
// connection until the transaction ends or the fiber does; nothing is rolled back early.
class [[nodiscard]] connection_scope {
 public:
  connection_scope(connection_scope&& other) noexcept;
  connection_scope& operator=(connection_scope&&) = delete;
  connection_scope(const connection_scope&) = delete;
  connection_scope& operator=(const connection_scope&) = delete;
  // Returns the fiber's connection to its source if this is the outermost scope and no
  // transaction is open. Never throws; may wait (a pool's return path resets the session).
  ~connection_scope();

 private:
  friend class database;
  explicit connection_scope(std::shared_ptr<detail::fiber_slot> slot) noexcept;
  std::shared_ptr<detail::fiber_slot> slot_;  // null after a move
};

}  // namespace fibersql::db
FIBERSQL_PUBLIC_END
