#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Where a Database gets each fiber's connection from, and where it goes when the fiber is done.
// The default source opens a new connection per fiber and closes it afterwards; the pool layer
// provides a source that borrows and returns. Nothing under src/db knows about the pool.
#include <memory>
#include <string>

#include <fibersql/sql/connection.hpp>

namespace fibersql::db {

class connection_source {
 public:
  virtual ~connection_source() = default;

  // acquire: a ready connection for the calling fiber (opened now, or borrowed).
  // Throws: operational_error (cannot connect), pool_timeout (pool exhausted), fiber_exit.
  // Fiber-safety: called from the fiber that will use the connection.
  virtual std::unique_ptr<connection> acquire() = 0;

  // release: the fiber is done with `conn` (the fiber ended, or db.close()). The caller has
  // already rolled back any open transaction. The source closes it, or keeps it if healthy.
  // Never throws; may wait (it runs in the dying fiber's own context).
  virtual void release(std::unique_ptr<connection> conn) noexcept = 0;

  // returns_after_each_statement: true if the database should hand the connection back after
  // every statement run outside a transaction (and outside a connection_scope), rather than
  // keep it for the fiber's life. Session state (temporary tables, variables) is then lost.
  virtual bool returns_after_each_statement() const noexcept { return false; }

  // A short description for stats and errors ("mysql://app@db:3306/shop", "pool(max_open=20)").
  virtual std::string describe() const = 0;
};

}  // namespace fibersql::db
FIBERSQL_PUBLIC_END
