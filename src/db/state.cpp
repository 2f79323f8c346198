// The shared state behind a database: acquiring and releasing each fiber's connection, the
// fiber-exit hook, and the books that stats() reads.
#include "detail/state.hpp"

#include <cstdio>
#include <optional>
#include <utility>

#include <fibersql/db/stream_open_error.hpp>
#include <fibersql/runtime/errors.hpp>
#include <fibersql/runtime/log.hpp>
#include <fibersql/runtime/this_fiber.hpp>
#include <fibersql/runtime/timeout.hpp>
#include <fibersql/sql/errors.hpp>

namespace fibersql::db::detail {
namespace {

void print_abandoned(const abandoned_transaction& r) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(r.held_for).count();
  fibersql::detail::log_message(log_level::warning,
                                "fibersql: fiber " + std::to_string(r.fiber_id) + " '" + r.fiber_name +
                                    "' ended with a transaction open (depth " + std::to_string(r.transaction_depth) +
                                    ") after holding its " + r.backend + " connection for " + std::to_string(ms) +
                                    " ms; rolled back: " + (r.rolled_back ? "yes" : "no (connection discarded)") +
                                    "; last statement: " + r.last_statement);
}

}  // namespace

slot_handle::slot_handle(std::shared_ptr<database_state> state) : slot(std::make_shared<fiber_slot>()) {
  slot->state = std::move(state);
  slot->fiber_id = this_fiber::id();
  slot->fiber_name = this_fiber::name();
  slot->thread = std::this_thread::get_id();
}

// The RAII hook: runs in the ending fiber's own context (kills held back), so the rollback
// below may still wait on the server.
slot_handle::~slot_handle() {
  slot->state->release(*slot, /*at_exit=*/true);
  slot->ended = true;
  // Drop the state now: a transaction scope that outlives its fiber must not keep the source
  // (and an in-memory database's anchor) alive.
  slot->state.reset();
}

database_state::database_state(std::shared_ptr<connection_source> source, database_options options)
    : source_(std::move(source)),
      options_(std::move(options)),
      return_after_statement_(source_->returns_after_each_statement()) {}

void database_state::return_if_idle(fiber_slot& s) noexcept {
  if (!s.conn || s.depth > 0 || s.scopes > 0) return;
  if (!s.conn->is_broken() && s.conn->in_transaction()) return;  // a raw begin(): keep it
  release(s, /*at_exit=*/false);
}

void database_state::acquire(fiber_slot& s) {
  std::unique_ptr<lease> l;
  try {
    l = source_->acquire();
    if (!l) throw interface_error(0, "HY000", "connection source '" + source_->describe() + "' gave no connection");
  } catch (...) {
    fibersql::detail::annotated_lock lock(mutex_);
    ++acquire_failures_;
    throw;
  }
  const bool in_tx = l->get().in_transaction();
  s.conn = &l->get();
  s.borrowed = std::move(l);
  s.transaction_lost = false;
  s.unwind_failed = false;
  s.return_pending = false;
  fibersql::detail::annotated_lock lock(mutex_);
  ++s.generation;
  s.backend = std::string(s.conn->backend_name());
  s.server_thread_id = s.conn->server_thread_id();
  s.acquired_at = clock::now();
  s.last_statement.clear();
  s.running = false;
  s.in_transaction = in_tx;
  holders_.push_back(s);
  ++opened_;
}

// Rollback-on-return is decided here, for every source: only this layer knows the fiber
// ended (and reports it), bounds the rollback by exit_rollback_timeout, and runs it in the
// dying fiber with kills held back. A source gets the connection clean or told to close it.
void database_state::release(fiber_slot& s, bool at_exit) noexcept {
  if (!s.borrowed) return;
  std::unique_ptr<lease> l = std::move(s.borrowed);
  fibersql::connection& c = *std::exchange(s.conn, nullptr);
  s.return_pending = false;
  const bool broken = c.is_broken();
  bool keep = !broken;
  std::optional<abandoned_transaction> report_this;
  if (!broken && c.in_transaction()) {
    try {
      // Bounded: a server that stopped answering must not pin the dying fiber forever.
      timeout limit(options_.exit_rollback_timeout);
      keep = rolled_back_for_return(c);
    } catch (const misuse_error&) {  // no fiber to bound the wait in: do not roll back, close it
      keep = false;
    }
    // A scope whose rollback a pending kill interrupted is not the caller's bug: the fiber
    // was leaving atomic() properly. Anything else left open is.
    if (at_exit && !s.unwind_failed) {
      fibersql::detail::annotated_lock lock(mutex_);
      report_this = abandoned_transaction{
          .fiber_id = s.fiber_id,
          .fiber_name = s.fiber_name,
          .held_for = clock::now() - s.acquired_at,
          .last_statement = s.last_statement,
          .transaction_depth = s.depth,
          .backend = s.backend,
          .server_thread_id = s.server_thread_id,
          .rolled_back = keep,
      };
    }
  }
  {
    fibersql::detail::annotated_lock lock(mutex_);
    holders_.unlink(s);
    ++closed_;
    if (broken) ++discarded_broken_;
    s.running = false;
    s.in_transaction = false;
    if (s.depth > 0) s.transaction_lost = true;  // open scopes must not go on without it
    if (report_this) {
      ++abandoned_total_;
      if (options_.abandoned_history > 0) {
        if (recent_abandoned_.size() >= options_.abandoned_history) recent_abandoned_.pop_front();
        recent_abandoned_.push_back(*report_this);
      }
    }
  }
  if (report_this) report(std::move(*report_this));
  // Unknown state (the rollback failed): the source closes it, so nobody gets it with the
  // transaction still open.
  l->give_back(keep);
}

bool database_state::discard_if_broken(fiber_slot& s) noexcept {
  if (!s.conn || !s.conn->is_broken()) return false;
  release(s, /*at_exit=*/false);
  return true;
}

void database_state::set_depth(fiber_slot& s, unsigned depth) noexcept {
  fibersql::detail::annotated_lock lock(mutex_);
  s.depth = depth;
}

void database_state::clip_into(std::string& out, std::string_view text) const {
  // assign() keeps out's buffer: statement_started runs per statement.
  const std::size_t limit = options_.statement_text_limit;
  out.assign(text.substr(0, limit));
  if (text.size() > limit) out += "...";
}

void database_state::refuse_while_streaming(const fiber_slot& s, std::string_view text) const {
  // run() refuses every statement while the stream is open, so the slot's last statement is
  // still the one that opened it.
  std::string stream_sql;
  {
    fibersql::detail::annotated_lock lock(mutex_);
    stream_sql = s.last_statement;
  }
  std::string refused;
  clip_into(refused, text);
  throw stream_open_error(stream_sql, s.stream_rows,
                          "fiber " + std::to_string(s.fiber_id) + " '" + s.fiber_name + "' ran `" + refused +
                              "` while its connection is streaming `" + stream_sql + "` (row " +
                              std::to_string(s.stream_rows) +
                              "): a connection runs one statement at a time; read the stream to its end "
                              "or close() it first, or page with keyset batches (ORM: query.batches(db, n)), "
                              "which leave the connection free between pages");
}

void database_state::statement_started(fiber_slot& s, std::string_view text) {
  fibersql::detail::annotated_lock lock(mutex_);
  clip_into(s.last_statement, text);
  s.running = true;
  s.statement_started = clock::now();
}

void database_state::statement_ended(fiber_slot& s) noexcept {
  const bool in_tx = s.conn && !s.conn->is_broken() && s.conn->in_transaction();
  fibersql::detail::annotated_lock lock(mutex_);
  s.running = false;
  s.in_transaction = in_tx;
}

void database_state::notify(std::string_view text, std::size_t params, clock::time_point t0, std::uint64_t rows,
                            std::exception_ptr error) noexcept {
  if (!options_.on_statement) return;
  try {
    statement_event e;
    e.fiber_id = this_fiber::id();
    e.fiber_name = this_fiber::name();
    e.sql = text;
    e.param_count = params;
    e.duration = clock::now() - t0;
    e.rows = rows;
    e.error = std::move(error);
    options_.on_statement(e);
  } catch (...) {  // a failing observer must not change the statement's outcome
  }
}

void database_state::report(abandoned_transaction&& r) noexcept {
  try {
    if (options_.on_abandoned_transaction)
      options_.on_abandoned_transaction(r);
    else
      print_abandoned(r);
  } catch (...) {  // the hook never throws: a failing reporter must not stop the release
  }
}

database_stats database_state::stats() const {
  database_stats out;
  out.source = source_->describe();
  const auto now = clock::now();
  const auto self = std::this_thread::get_id();
  fibersql::detail::annotated_lock lock(mutex_);
  out.open_connections = holders_.size();
  out.opened = opened_;
  out.closed = closed_;
  out.discarded_broken = discarded_broken_;
  out.acquire_failures = acquire_failures_;
  out.abandoned_total = abandoned_total_;
  out.recent_abandoned.assign(recent_abandoned_.begin(), recent_abandoned_.end());
  out.holders.reserve(holders_.size());
  for (const fiber_slot* s = holders_.front(); s != nullptr; s = holders_.next(*s)) {
    held_connection h;
    h.fiber_id = s->fiber_id;
    h.fiber_name = s->fiber_name;
    h.backend = s->backend;
    h.server_thread_id = s->server_thread_id;
    h.transaction_depth = s->depth;
    // The live flag where reading it is safe (same thread), the cached one elsewhere.
    h.in_transaction =
        (s->thread == self && s->conn && !s->conn->is_broken()) ? s->conn->in_transaction() : s->in_transaction;
    if (s->running) {
      h.current_statement = s->last_statement;
      h.statement_running_for = now - s->statement_started;
    }
    h.last_statement = s->last_statement;
    h.held_for = now - s->acquired_at;
    out.holders.push_back(std::move(h));
  }
  return out;
}

}  // namespace fibersql::db::detail
