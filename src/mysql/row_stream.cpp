#include <fibersql/mysql/row_stream.hpp>

#include <fibersql/runtime/this_fiber.hpp>

#include "detail/session.hpp"
#include "detail/text_query.hpp"

namespace fibersql::mysql {
namespace detail {

struct mysql_stream_state {
  std::shared_ptr<const column_names> names = std::make_shared<column_names>();
  bool done = false;         // the result was read to its end (or the stream was closed)
  unsigned since_yield = 0;  // rows fetched since this stream last gave the hub a turn
};

// While the socket has rows buffered, fetching never waits, so a long stream would hold the
// hub; every this many rows it yields so other fibers keep their latency.
constexpr unsigned rows_per_yield = 512;

namespace {

// Reads one row of the open unbuffered result; nullopt at its end.
std::optional<row> fetch_one(mysql_session& s, const mysql_stream_state& state) {
  MYSQL_RES* res = s.stream_result();
  MYSQL_ROW cells = nullptr;
  s.drive([&] { return mysql_fetch_row_start(&cells, res); },
          [&](int ready) { return mysql_fetch_row_cont(&cells, res, ready); });
  if (cells != nullptr) return to_row(res, cells, state.names);
  if (mysql_errno(s.handle()) != 0) s.raise();
  return std::nullopt;
}

// The result is exhausted: free it, read whatever results follow, and free the connection.
void finish(mysql_session& s, mysql_stream_state& state) {
  state.done = true;
  s.end_stream();
  fibersql::detail::scope_exit release = [&s]() noexcept { s.release(); };
  s.guarded(op_kind::query, [&] { drain_results(s); });
}

void check_usable(const mysql_session& s, const char* what) {
  if (s.closed() || s.broken()) {
    throw interface_error(0, "08003", std::string(what) + " on a row stream whose connection is closed or broken");
  }
  s.check_stream_owner(what);
}

}  // namespace

row_stream open_row_stream(const std::shared_ptr<mysql_session>& s) {
  MYSQL* m = s->handle();
  auto state = std::make_unique<mysql_stream_state>();
  // mysql_use_result does no IO (it only switches the session to row-by-row reading), so
  // it has no `_start` form.
  MYSQL_RES* raw = mysql_use_result(m);
  if (raw == nullptr) {
    if (mysql_errno(m) != 0 || mysql_field_count(m) != 0) s->raise();
    state->done = true;  // a statement without rows: nothing to stream
    drain_results(*s);
    return row_stream(s, std::move(state));
  }
  state->names = names_of(raw);
  s->open_stream(result_handle(raw));
  return row_stream(s, std::move(state));
}

}  // namespace detail

row_stream::row_stream(std::shared_ptr<detail::mysql_session> session,
                       std::unique_ptr<detail::mysql_stream_state> state)
    : session_(std::move(session)), state_(std::move(state)) {}
row_stream::row_stream(row_stream&&) noexcept = default;
row_stream& row_stream::operator=(row_stream&& other) noexcept {
  if (this != &other) {
    row_stream dropped(std::move(*this));
    session_ = std::move(other.session_);
    state_ = std::move(other.state_);
  }
  return *this;
}

row_stream::~row_stream() {
  if (!state_ || state_->done || !session_ || session_->closed()) return;
  try {
    session_->poison(/*kill_query=*/true, /*wait_for_kill=*/false);
  } catch (...) {
    // poison without waiting only spawns a fiber; nothing here may escape a destructor.
  }
}

std::optional<row> row_stream::next() {
  if (!state_ || state_->done) return std::nullopt;
  detail::check_usable(*session_, "row_stream::next");
  if (++state_->since_yield >= detail::rows_per_yield) {
    state_->since_yield = 0;
    this_fiber::yield();
  }
  auto fetched = session_->guarded(detail::op_kind::query, [&] { return detail::fetch_one(*session_, *state_); });
  if (!fetched) detail::finish(*session_, *state_);
  return fetched;
}

void row_stream::close() {
  if (!state_ || state_->done) return;
  detail::check_usable(*session_, "row_stream::close");
  session_->guarded(detail::op_kind::query, [&] {
    for (unsigned n = 1; detail::fetch_one(*session_, *state_); ++n) {
      if (n % detail::rows_per_yield == 0) this_fiber::yield();
    }
  });
  detail::finish(*session_, *state_);
}

bool row_stream::done() const noexcept {
  return !state_ || state_->done;
}

const column_names& row_stream::columns() const noexcept {
  static const column_names none;
  return state_ ? *state_->names : none;
}

}  // namespace fibersql::mysql
