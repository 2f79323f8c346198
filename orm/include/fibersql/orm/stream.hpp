#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// stream_range: what `query.stream(db)` returns: the rows of a select one at a time, decoded
// as the query's row type, memory bounded by one row (MySQL reads its socket unbuffered and
// every wait yields the fiber; SQLite steps its statement and yields every few hundred rows).
// The fiber's connection is claimed until the stream ends: any other statement of the fiber
// meanwhile throws db::stream_open_error (use `query.batches(db, n)` for loops that write).
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <utility>

#include <fibersql/db/database.hpp>
#include <fibersql/orm/decode.hpp>
#include <fibersql/orm/detail/pull_iterator.hpp>
#include <fibersql/orm/statement.hpp>

namespace fibersql::orm {

template <class Row, class Source = Row>
class stream_range {
 public:
  // Opens the stream of `s` on the calling fiber's connection. Throws: as db.stream().
  stream_range(db::database& db, const statement& s) : cursor_(db.stream(s.text, s.params)) {}

  // next: the next row, or nullopt at the end (the connection is then free again).
  // Throws: the database's errors, fiber_exit, timeout_error; data_error when a value does
  // not fit its member (the stream stays open: close() it or let it go).
  std::optional<Row> next() {
    std::optional<fibersql::row> r = cursor_.next();
    if (!r) return std::nullopt;
    ++rows_read_;
    std::size_t at = 0;
    return detail::decode_as<Row, Source>(*r, at);
  }
  // close: ends the stream early and keeps the connection (MySQL reads and discards the rest
  // of the result, which may take as long as reading it). Letting the range go unfinished
  // instead costs the connection (MySQL: the server is told to stop and the socket is reset;
  // the fiber's next statement gets a fresh connection) but returns at once.
  void close() { cursor_.close(); }
  bool done() const noexcept { return cursor_.done(); }
  // Rows handed over so far.
  std::uint64_t rows_read() const noexcept { return rows_read_; }

  // A single-pass input iterator: `for (user& u : users_query.stream(db))`.
  using iterator = detail::pull_iterator<stream_range, Row>;
  // begin: reads the first row. Call once.
  iterator begin() { return iterator(this); }
  std::default_sentinel_t end() const noexcept { return {}; }

 private:
  friend iterator;
  db::row_cursor cursor_;
  std::optional<Row> current_;  // the row the iterator points at
  std::uint64_t rows_read_ = 0;
};

}  // namespace fibersql::orm
FIBERSQL_PUBLIC_END
