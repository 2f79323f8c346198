#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// A borrowed connection: move-only, returned to its pool when destroyed (after Boost.MySQL's
// pooled_connection). Giving it back rolls back a transaction left open (the handle is a
// borrower, as a database's fiber is: db::rolled_back_for_return), and the pool discards a
// broken connection and resets session state before the next borrower unless told not to.
#include <memory>

#include <fibersql/sql/connection.hpp>

namespace fibersql::pool::detail {
class pool_impl;
struct pool_slot;
}  // namespace fibersql::pool::detail

namespace fibersql::pool {

class pool_lease;

class pooled_connection {
 public:
  // An empty handle (valid() is false).
  pooled_connection() noexcept = default;
  pooled_connection(pooled_connection&& other) noexcept;
  pooled_connection& operator=(pooled_connection&& other) noexcept;
  pooled_connection(const pooled_connection&) = delete;
  pooled_connection& operator=(const pooled_connection&) = delete;
  // Returns the connection (as release()).
  ~pooled_connection();

  // The borrowed connection. Precondition: valid(). To give up a bad connection call
  // discard(), not get().close(): the pool cannot tell a closed SQLite handle from a live one
  // until its next check.
  connection& get() const noexcept;
  connection* operator->() const noexcept { return &get(); }
  connection& operator*() const noexcept { return get(); }
  // as: the connection as a backend type (mysql::connection for stream(), prepare()...),
  // or nullptr if it is another backend.
  template <class T>
  T* as() const noexcept {
    return dynamic_cast<T*>(&get());
  }
  bool valid() const noexcept { return slot_ != nullptr; }
  explicit operator bool() const noexcept { return valid(); }

  // release: gives the connection back now: a transaction left open is rolled back (this may
  // wait on the server), a broken connection is closed, and the next borrower gets it reset.
  // Never throws. Fiber-safety: call on the pool's hub (from a fiber if a rollback may wait).
  void release() noexcept;
  // return_without_reset: as release(), but the next borrower skips the reset (one round trip
  // saved). Only for callers that know they left no session state (variables, temporary
  // tables, locks, changed settings).
  void return_without_reset() noexcept;
  // discard: closes the connection instead of returning it (counted as broken), for callers
  // that know it is unusable or in an unknown state.
  void discard() noexcept;

 private:
  friend class detail::pool_impl;
  friend class pool_lease;  // a database's borrow: it rolled back already, so it gives back directly
  pooled_connection(std::shared_ptr<detail::pool_impl> pool, detail::pool_slot* slot) noexcept
      : pool_(std::move(pool)), slot_(slot) {}
  // give_back: empties the handle, then the pool's put (pool_impl::give_back). With
  // `roll_back` (a direct borrower's end) a transaction left open is rolled back first.
  void give_back(bool reset, bool discard, bool roll_back) noexcept;

  std::shared_ptr<detail::pool_impl> pool_;  // keeps the pool's state alive while borrowed
  detail::pool_slot* slot_ = nullptr;
};

}  // namespace fibersql::pool
FIBERSQL_PUBLIC_END
