// The public connection: a thin facade; every operation goes through session::run.
#include <fibersql/mysql/connection.hpp>
#include <fibersql/mysql/wsrep_health.hpp>

#include "detail/session.hpp"
#include "detail/text_query.hpp"
#include "detail/values.hpp"

namespace fibersql::mysql {
namespace detail {
statement prepare_statement(const std::shared_ptr<mysql_session>& s, std::string_view sql);
row_stream open_row_stream(const std::shared_ptr<mysql_session>& s);
}  // namespace detail

using detail::op_kind;

std::unique_ptr<connection> connection::open(std::string_view url) {
  return open(parse_url(url));
}

std::unique_ptr<connection> connection::open(const connect_options& options) {
  if (!options.hosts.empty()) return detail::open_any_host(options);  // multi_host.cpp
  std::unique_ptr<connection> c(new connection(detail::connect_session(options)));
  if (options.wsrep_check) {
    require_wsrep_ready(*c);  // a Galera node without quorum is down
    c->wsrep_checked_at_ = clock::now();
  }
  return c;
}

connection::connection(std::shared_ptr<detail::mysql_session> session) : session_(std::move(session)) {}

connection::~connection() {
  close();
}

result connection::query(std::string_view sql, std::span<const value> params) {
  auto& s = *session_;
  return s.run("query", op_kind::query, [&] {
    detail::send_text_query(s, sql, params);
    return std::move(detail::read_results(s, false).front());
  });
}

std::vector<result> connection::query_all(std::string_view sql, std::span<const value> params) {
  auto& s = *session_;
  return s.run("query_all", op_kind::query, [&] {
    detail::send_text_query(s, sql, params);
    return detail::read_results(s, true);
  });
}

row_stream connection::stream(std::string_view sql, std::span<const value> params) {
  auto& s = *session_;
  return s.run("stream", op_kind::query, [&] {
    detail::send_text_query(s, sql, params);
    return detail::open_row_stream(session_);
  });
}

statement connection::prepare(std::string_view sql) {
  auto& s = *session_;
  return s.run("prepare", op_kind::plain, [&] { return detail::prepare_statement(session_, sql); });
}

namespace {

// One Connector/C call whose `_start`/`_cont` pair reports failure through an out-parameter
// (my_bool or int): drives it to the end and raises the handle's error if it failed.
template <class Failed, class Start, class Cont>
void drive_checked(detail::mysql_session& s, Start start, Cont cont) {
  Failed failed = 0;
  s.drive([&] { return start(&failed, s.handle()); }, [&](int ready) { return cont(&failed, s.handle(), ready); });
  if (failed) s.raise();
}

}  // namespace

void connection::begin() {
  query("START TRANSACTION");
}

void connection::commit() {
  auto& s = *session_;
  try {
    s.run("commit", op_kind::plain, [&] { drive_checked<my_bool>(s, mysql_commit_start, mysql_commit_cont); });
  } catch (const operational_error& e) {
    // The session died with COMMIT sent (or being sent) and no answer read: the server may
    // have committed. Saying "failed" would read as "rolled back".
    const error_reason r = e.reason();
    if (!e.poisons_connection() ||
        (r != error_reason::connection_lost && r != error_reason::timeout && r != error_reason::killed_by_server)) {
      throw;
    }
    throw commit_outcome_unknown(e.code(), e.sqlstate(),
                                 std::string("COMMIT: the outcome is unknown (the transaction may or may not have "
                                             "been committed; check before retrying): ") +
                                     e.what(),
                                 r);
  }
}

void connection::rollback() {
  auto& s = *session_;
  s.run("rollback", op_kind::plain, [&] { drive_checked<my_bool>(s, mysql_rollback_start, mysql_rollback_cont); });
}

void connection::set_autocommit(bool on) {
  auto& s = *session_;
  s.run("set_autocommit", op_kind::plain, [&] {
    drive_checked<my_bool>(
        s, [on](my_bool* failed, MYSQL* m) { return mysql_autocommit_start(failed, m, on); }, mysql_autocommit_cont);
  });
}

bool connection::in_transaction() const noexcept {
  MYSQL* m = session_->handle();
  if (m == nullptr) return false;
  unsigned status = 0;
  mariadb_get_infov(m, MARIADB_CONNECTION_SERVER_STATUS, &status);
  return (status & SERVER_STATUS_IN_TRANS) != 0;
}

void connection::ping() {
  auto& s = *session_;
  s.run("ping", op_kind::plain, [&] { drive_checked<int>(s, mysql_ping_start, mysql_ping_cont); });
  // The pool pings at validation and keepalive only: a Galera node that stopped being ready
  // fails here (1047, poisoning), so the pool retires the connection (docs/cluster.md).
  if (s.options().wsrep_check) {
    require_wsrep_ready(*this);
    wsrep_checked_at_ = clock::now();
  }
}

void connection::reset() {
  forget_prepared();  // COM_RESET_CONNECTION frees the session's statements on the server
  auto& s = *session_;
  s.run("reset", op_kind::query, [&] {
    drive_checked<int>(s, mysql_reset_connection_start, mysql_reset_connection_cont);
    // COM_RESET_CONNECTION clears session variables, so the session setup runs again.
    for (const std::string& cmd : s.options().init_commands) {
      detail::send_text_query(s, cmd, {});
      detail::read_results(s, false);
    }
  });
  // As ping(), at most once a second: a pool resets on every checkout, and per-statement
  // checkouts (return_after_each_statement) must not pay a status query each.
  if (s.options().wsrep_check && clock::now() - wsrep_checked_at_ >= std::chrono::seconds(1)) {
    require_wsrep_ready(*this);
    wsrep_checked_at_ = clock::now();
  }
}

std::string connection::endpoint() const {
  const connect_options& o = options();
  return o.unix_socket.empty() ? o.host + ":" + std::to_string(o.port) : o.unix_socket;
}

bool connection::is_broken() const noexcept {
  return session_->broken();
}

std::uint64_t connection::server_thread_id() const noexcept {
  return session_->thread_id();
}

server_info connection::server_version() const noexcept {
  if (session_->closed() || session_->handle() == nullptr) return {};
  const char* text = mysql_get_server_info(session_->handle());
  return text ? parse_server_info(text) : server_info{};
}

void connection::close() noexcept {
  forget_prepared();
  session_->close();
}

std::string connection::quote(std::string_view text) const {
  if (session_->closed()) throw interface_error(0, "08003", "quote on a closed MySQL connection");
  std::string out;
  detail::append_literal(out, value(std::string(text)), session_->handle());
  return out;
}

const connect_options& connection::options() const noexcept {
  return session_->options();
}

}  // namespace fibersql::mysql
