#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Where a Database gets each fiber's connection from, and how it goes back when the fiber is
// done. A source lends a `lease`: the connection plus its way home. The default source opens a
// new connection per fiber and closes it afterwards; the pool layer lends borrowed ones.
// Nothing under src/db knows about the pool.
#include <memory>
#include <string>
#include <utility>

#include <fibersql/sql/connection.hpp>

namespace fibersql::db {

// lease: one connection lent by a source, and the only way back to it. Whoever holds it uses
// get() and ends it with one visible give_back() call; the lease knows its source, so nothing
// has to find out by a cast where the connection came from.
class lease {
 public:
  lease() = default;
  lease(const lease&) = delete;
  lease& operator=(const lease&) = delete;
  // A lease destroyed without give_back() still returns its connection as the source's own
  // RAII does (closed, or back to the pool); give_back() is the path to use.
  virtual ~lease() = default;

  // get: the lent connection. Valid until give_back().
  virtual connection& get() noexcept = 0;

  // give_back: the borrower is done. With `keep`, the connection is healthy and has no
  // transaction open (the borrower rolled back what it left open: the source never does), so
  // a source may keep it; without, its state is unknown and the source closes it. Call once.
  // Never throws; may wait (it runs in the borrower's context).
  virtual void give_back(bool keep) noexcept = 0;
};

// owned_lease: a lease that owns its connection and closes it when given back (url_source's,
// and the pool's for connections from a plain factory).
class owned_lease final : public lease {
 public:
  explicit owned_lease(std::unique_ptr<connection> conn) noexcept : conn_(std::move(conn)) {}
  connection& get() noexcept override { return *conn_; }
  void give_back(bool /*keep: a closed connection keeps nothing*/) noexcept override { conn_->close(); }

 private:
  std::unique_ptr<connection> conn_;
};

// rolled_back_for_return: rolls back the transaction a borrower left open on `c` before
// giving it back; true if `c` may be kept (healthy, no transaction open), false if its state
// is unknown (the rollback failed, was interrupted, or broke it) and it must be closed.
// Used by both borrowers, a database's fiber-exit hook and a direct pooled_connection: the
// one place rollback-on-return is decided (docs/architecture.md, "Return path").
// Never throws; may wait on the server.
inline bool rolled_back_for_return(connection& c) noexcept {
  try {
    c.rollback();
  } catch (...) {  // a kill stays pending and fires at the borrower's next wait
    return false;
  }
  return !c.is_broken() && !c.in_transaction();
}

class connection_source {
 public:
  virtual ~connection_source() = default;

  // acquire: a ready connection for the calling fiber (opened now, or borrowed), as a lease
  // that the caller gives back when the fiber is done with it (the fiber ended, or db.close()).
  // Throws: operational_error (cannot connect), pool_timeout (pool exhausted), fiber_exit.
  // Fiber-safety: called from the fiber that will use the connection.
  virtual std::unique_ptr<lease> acquire() = 0;

  // returns_after_each_statement: true if the database should hand the connection back after
  // every statement run outside a transaction (and outside a connection_scope), rather than
  // keep it for the fiber's life. Session state (temporary tables, variables) is then lost.
  virtual bool returns_after_each_statement() const noexcept { return false; }

  // A short description for stats and errors ("mysql://app@db:3306/shop", "pool(max_open=20)").
  virtual std::string describe() const = 0;
};

}  // namespace fibersql::db
FIBERSQL_PUBLIC_END
