// database: the calling fiber's connection, statements through it, close(), stats().
#include <fibersql/db/database.hpp>

#include <fibersql/db/url_source.hpp>
#include <fibersql/runtime/detail/scope_exit.hpp>
#include <fibersql/sql/errors.hpp>

#include "detail/state.hpp"

namespace fibersql::db {
namespace {

std::shared_ptr<connection_source> checked(std::shared_ptr<connection_source> source) {
  if (!source) throw interface_error(0, "HY000", "database: the connection source is null");
  return source;
}

[[noreturn]] void throw_lost() {
  throw operational_error(0, "HY000",
                          "the connection was lost inside an atomic() block; nothing of it was "
                          "committed: leave the block (its scopes end without effect), then retry");
}

}  // namespace

database::database(std::string_view url, database_options options)
    : database(std::make_shared<url_source>(url), std::move(options)) {}

database::database(std::shared_ptr<connection_source> source, database_options options)
    : state_(std::make_shared<detail::database_state>(checked(std::move(source)), std::move(options))) {}

database::~database() = default;
database::database(database&&) noexcept = default;
database& database::operator=(database&&) noexcept = default;

// The calling fiber's slot, created on first use (fiber_local throws misuse_error outside).
static detail::fiber_slot& slot_of(fiber_local<detail::slot_handle>& local,
                                   const std::shared_ptr<detail::database_state>& state) {
  if (detail::slot_handle* h = local.get_if()) return *h->slot;
  return *local.emplace(state).slot;
}

fibersql::connection& database::connection() {
  detail::fiber_slot& s = slot_of(local_, state_);
  state_->discard_if_broken(s);  // inside atomic() this marks the transaction lost
  if (s.transaction_lost) throw_lost();
  if (!s.conn) state_->acquire(s);
  return *s.conn;
}

template <class Op>
result database::run_statement(std::string_view sql, std::span<const value> params, Op&& op) {
  connection();
  detail::fiber_slot& s = *local_.get_if()->slot;
  if (!state_->returns_after_each_statement() && !s.return_pending) {
    return state_->run(s, sql, op, params.size());
  }
  // The source asked for its connection back after every statement outside a transaction.
  fibersql::detail::scope_exit after = [this, &s]() noexcept { state_->return_if_idle(s); };
  return state_->run(s, sql, op, params.size());
}

result database::execute(std::string_view sql, std::span<const value> params) {
  return run_statement(sql, params, [&](fibersql::connection& c) { return c.query(sql, params); });
}

result database::execute_prepared(std::string_view sql, std::span<const value> params) {
  return run_statement(sql, params, [&](fibersql::connection& c) { return c.query_prepared(sql, params); });
}

row_cursor database::stream(std::string_view sql, std::span<const value> params) {
  connection();
  const std::shared_ptr<detail::fiber_slot>& slot = local_.get_if()->slot;
  auto rows = state_->run(*slot, sql, [&](fibersql::connection& c) { return c.open_stream(sql, params); });
  return row_cursor(slot, slot->generation, std::move(rows));
}

prepared_statement database::prepare(std::string_view sql) {
  connection();
  const std::shared_ptr<detail::fiber_slot>& slot = local_.get_if()->slot;
  auto stmt = state_->run(*slot, sql, [&](fibersql::connection& c) { return c.open_statement(sql); });
  return prepared_statement(slot, slot->generation, std::string(sql), std::move(stmt));
}

transaction database::atomic() {
  fibersql::connection& c = connection();
  detail::slot_handle& h = *local_.get_if();
  detail::fiber_slot& s = *h.slot;
  const unsigned depth = s.depth + 1;
  // Inside a transaction the caller began by hand, the outermost scope is a savepoint too, so
  // that committing it does not commit the caller's transaction.
  const bool savepoint = depth > 1 || c.in_transaction();
  if (savepoint) {
    const std::string sql = "SAVEPOINT fibersql_sp" + std::to_string(depth);
    state_->run(s, sql, [&](fibersql::connection& conn) { conn.query(sql); });
  } else {
    state_->run(s, "BEGIN", [](fibersql::connection& conn) { conn.begin(); });
  }
  state_->set_depth(s, depth);
  return transaction(h.slot, depth, savepoint, s.generation);
}

db::connection_scope database::connection_scope() {
  slot_of(local_, state_);
  return db::connection_scope(local_.get_if()->slot);
}

void database::close() {
  detail::slot_handle* h = local_.get_if();
  if (h == nullptr) return;
  detail::fiber_slot& s = *h->slot;
  if (s.depth > 0) throw interface_error(0, "HY000", "database::close() inside an atomic() block");
  if (s.open_streams > 0)
    throw interface_error(0, "HY000", "database::close() while a stream() is open: close it first");
  if (s.conn && !s.conn->is_broken() && s.conn->in_transaction()) {
    throw interface_error(0, "HY000", "database::close() with a transaction open: commit or roll back first");
  }
  local_.reset();  // the same path as the fiber's end, with nothing left to roll back
}

bool database::is_connected() {
  detail::slot_handle* h = local_.get_if();
  return h != nullptr && h->slot->conn != nullptr;
}

database_stats database::stats() const {
  return state_->stats();
}

const std::shared_ptr<connection_source>& database::source() const noexcept {
  return state_->source_ptr();
}

}  // namespace fibersql::db
