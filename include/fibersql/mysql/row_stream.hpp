#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// An unbuffered result: rows are read from the socket one fetch at a time, so memory stays
// bounded whatever the row count.
#include <memory>
#include <optional>

#include <fibersql/sql/row.hpp>

namespace fibersql::mysql {

namespace detail {
class mysql_session;
struct mysql_stream_state;
}  // namespace detail

class row_stream {
 public:
  row_stream(std::shared_ptr<detail::mysql_session> session, std::unique_ptr<detail::mysql_stream_state> state);
  row_stream(row_stream&&) noexcept;
  row_stream& operator=(row_stream&&) noexcept;
  // An unfinished stream cannot be drained without waiting, and destructors never wait: the
  // connection is marked broken, the server is told to stop the query, and it is closed.
  // Call close() first to keep the connection.
  ~row_stream();

  // next: the next row, or nullopt once the result is exhausted (the connection is then free).
  // Throws: the DB-API hierarchy, fiber_exit, timeout_error (each of which breaks the
  // connection). Fiber-safety: only the fiber that opened the stream (concurrent_use_error).
  std::optional<row> next();
  // close: reads and discards the remaining rows so the connection can be used again.
  void close();
  bool done() const noexcept;
  const column_names& columns() const noexcept;

 private:
  std::shared_ptr<detail::mysql_session> session_;
  std::unique_ptr<detail::mysql_stream_state> state_;
};

}  // namespace fibersql::mysql
FIBERSQL_PUBLIC_END
