#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// The result of database::stream(): rows one at a time from the calling fiber's connection,
// whatever the backend. The connection stays claimed by the stream until it is done, closed or
// destroyed (database::close() refuses meanwhile).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include <fibersql/sql/row_stream.hpp>

namespace fibersql::db {

namespace detail {
struct fiber_slot;
}

class row_cursor {
 public:
  row_cursor(row_cursor&& other) noexcept;
  row_cursor& operator=(row_cursor&&) = delete;
  row_cursor(const row_cursor&) = delete;
  row_cursor& operator=(const row_cursor&) = delete;
  // An unfinished MySQL stream cannot be drained without waiting, and destructors never wait:
  // its connection is then discarded (the next statement of the fiber gets a fresh one).
  // close() first to keep it. Never throws.
  ~row_cursor();

  // next: the next row, or nullopt at the end. Every rows_per_yield rows it yields to the hub,
  // so a long scan (SQLite steps without any IO wait) does not hold the other fibers back.
  // Throws: the DB-API hierarchy, fiber_exit, timeout_error; interface_error from another
  // fiber or after the fiber's connection went away.
  std::optional<row> next();
  // close: ends the stream early and keeps the connection (MySQL reads the rest and drops it).
  void close();
  bool done() const noexcept;
  const column_names& columns() const noexcept;

  static constexpr std::size_t rows_per_yield = 256;

 private:
  friend class database;
  row_cursor(std::shared_ptr<detail::fiber_slot> slot, std::uint64_t generation,
             std::unique_ptr<row_stream> stream) noexcept;
  void check() const;
  void unclaim() noexcept;

  std::shared_ptr<detail::fiber_slot> slot_;  // null after a move
  std::uint64_t generation_ = 0;              // the connection of the slot it streams from
  std::unique_ptr<row_stream> stream_;
  std::size_t since_yield_ = 0;
  bool claimed_ = false;  // counted in the slot's open_streams
};

}  // namespace fibersql::db
FIBERSQL_PUBLIC_END
