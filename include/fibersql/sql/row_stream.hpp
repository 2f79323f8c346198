#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Rows one at a time, whatever the backend: what connection::open_stream() returns and what
// db::database::stream() and the ORM iterate. Memory stays bounded by one row (MySQL reads
// the socket unbuffered, SQLite steps its statement).
#include <optional>

#include <fibersql/sql/row.hpp>

namespace fibersql {

class row_stream {
 public:
  virtual ~row_stream() = default;
  // next: the next row, or nullopt once the result is exhausted (the connection is then free
  // for other statements). Throws: the DB-API hierarchy; fiber_exit and timeout_error for MySQL.
  virtual std::optional<row> next() = 0;
  // close: ends the stream early, keeping the connection usable (MySQL reads and discards the
  // remaining rows). Idempotent.
  virtual void close() = 0;
  virtual bool done() const noexcept = 0;
  virtual const column_names& columns() const noexcept = 0;
};

}  // namespace fibersql
FIBERSQL_PUBLIC_END
