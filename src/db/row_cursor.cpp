// row_cursor: a backend's row_stream, claimed on the owning fiber's slot, yielding to the hub
// every rows_per_yield rows.
#include <fibersql/db/row_cursor.hpp>

#include <fibersql/runtime/this_fiber.hpp>
#include <fibersql/sql/errors.hpp>

#include "detail/state.hpp"

namespace fibersql::db {

row_cursor::row_cursor(std::shared_ptr<detail::fiber_slot> slot, std::uint64_t generation,
                       std::unique_ptr<row_stream> stream) noexcept
    : slot_(std::move(slot)), generation_(generation), stream_(std::move(stream)) {
  if (!stream_->done()) {
    ++slot_->open_streams;
    slot_->stream_rows = 0;
    claimed_ = true;
  }
}

row_cursor::row_cursor(row_cursor&& other) noexcept
    : slot_(std::move(other.slot_)),
      generation_(other.generation_),
      stream_(std::move(other.stream_)),
      since_yield_(other.since_yield_),
      claimed_(std::exchange(other.claimed_, false)) {}

row_cursor::~row_cursor() {
  unclaim();
  // stream_'s own destructor decides what an unfinished stream costs (MySQL: the connection).
}

void row_cursor::check() const {
  if (!slot_) throw interface_error(0, "HY000", "row_cursor: used after a move");
  if (slot_->ended || slot_->fiber_id != this_fiber::id())
    throw interface_error(0, "HY000", "row_cursor: a stream belongs to the fiber that opened it");
  if (!slot_->conn || slot_->generation != generation_)
    throw interface_error(0, "HY000", "row_cursor: the connection this stream read from is gone");
}

std::optional<row> row_cursor::next() {
  if (!stream_ || done()) return std::nullopt;
  check();
  if (++since_yield_ >= rows_per_yield) {
    since_yield_ = 0;
    this_fiber::yield();  // SQLite never waits on IO: let the other fibers run
  }
  std::optional<row> r = stream_->next();
  if (r)
    ++slot_->stream_rows;
  else
    unclaim();
  return r;
}

void row_cursor::close() {
  if (!stream_ || done()) return unclaim();
  check();
  stream_->close();
  unclaim();
}

bool row_cursor::done() const noexcept {
  return !stream_ || stream_->done();
}

const column_names& row_cursor::columns() const noexcept {
  static const column_names none;
  return stream_ ? stream_->columns() : none;
}

void row_cursor::unclaim() noexcept {
  if (claimed_ && slot_) --slot_->open_streams;
  claimed_ = false;
}

}  // namespace fibersql::db
