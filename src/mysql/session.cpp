#include "detail/session.hpp"

#include <chrono>
#include <utility>

#include <fibersql/runtime/fiber.hpp>
#include <fibersql/runtime/io_wait.hpp>
#include <fibersql/runtime/kill_shield.hpp>
#include <fibersql/runtime/this_fiber.hpp>
#include "detail/reply_wait.hpp"
#include "detail/text_query.hpp"

namespace fibersql::mysql::detail {

mysql_session::mysql_session(connect_options options, mysql_handle handle)
    : options_(std::move(options)), handle_(std::move(handle)) {
  thread_id_ = handle_ ? mysql_thread_id(handle_.get()) : 0;
}

void mysql_session::claim(const char* what) {
  claim_.acquire(what, {this_fiber::id(), this_fiber::name()}, handle_ != nullptr);
  wait_timed_out_ = false;
}

void mysql_session::connected() {
  thread_id_ = mysql_thread_id(handle_.get());
  set_cloexec(handle_.get());
  watch_.emplace(static_cast<int>(mysql_get_socket(handle_.get())));
  install_reply_wait(handle_.get());
}

void mysql_session::release() noexcept {
  if (claim_.stream_open()) return;  // the stream keeps its claim until it ends
  claim_.release();
  if (claim_.broken()) close();  // close() came while the operation was running
  std::vector<stmt_handle> dropped;
  dropped.swap(deferred_stmts_);
  for (stmt_handle& stmt : dropped) close_statement(std::move(stmt));
}

void mysql_session::check_stream_owner(const char* what) const {
  claim_.check_stream_owner(what, {this_fiber::id(), this_fiber::name()});
}

int mysql_session::wait(int status) {
  MYSQL* m = handle_.get();
  unsigned events = io_none;
  if (status & (MYSQL_WAIT_READ | MYSQL_WAIT_EXCEPT)) events |= io_readable;
  if (status & MYSQL_WAIT_WRITE) events |= io_writable;
  deadline until = no_deadline;
  if (status & MYSQL_WAIT_TIMEOUT) {
    until = deadline_after(std::chrono::milliseconds(mysql_get_timeout_value_ms(m)));
  }
  if (events == io_none) {
    this_fiber::sleep_until(until);
    wait_timed_out_ = true;
    return MYSQL_WAIT_TIMEOUT;
  }
  const unsigned ready = wait_socket(events, until);
  if (ready == io_none) {
    wait_timed_out_ = true;
    return MYSQL_WAIT_TIMEOUT;  // Connector/C turns this into its timeout error
  }
  int out = 0;
  if (ready & io_readable) out |= MYSQL_WAIT_READ;
  if (ready & io_writable) out |= MYSQL_WAIT_WRITE;
  return out;
}

bool mysql_session::wait_for_reply() {
  const bool bounded = options_.read_timeout > std::chrono::seconds::zero();
  return wait_socket(io_readable, bounded ? deadline_after(options_.read_timeout) : no_deadline) != io_none;
}

unsigned mysql_session::wait_socket(unsigned events, deadline until) {
  const int fd = static_cast<int>(mysql_get_socket(handle_.get()));
  if (!watch_ || watch_->fd() != fd) {
    // Connecting: each socket Connector/C tries is marked close-on-exec at its first wait,
    // and again in connected() for a handshake that never waited.
    set_cloexec(handle_.get());
    return wait_io(fd, events, until);
  }
  // A pooled connection may outlive the hub that opened it (a pool kept across two run()
  // calls): register the socket with the hub that waits now. The old registration died
  // with its loop, or is dropped here if that hub is still alive on this thread.
  if (!watch_->on_current_hub()) watch_.emplace(fd);
  return watch_->wait(events, until);
}

void mysql_session::break_after(const std::exception_ptr& failure, bool kill_query) {
  const bool gone = poison(kill_query, /*wait_for_kill=*/true);
  try {
    std::rethrow_exception(failure);
  } catch (error& e) {
    // The same object run_guarded rethrows next (an exception_ptr refers to, not copies, it).
    if (gone && e.reason() == error_reason::connection_lost) e.set_reason(error_reason::killed_by_server);
    claim_.set_broken_reason(e.reason());
  }
}

bool mysql_session::poison(bool kill_query, bool wait_for_kill) {
  if (!handle_) return false;
  const bool first = claim_.mark_broken();
  // Shut our socket first: the server then sees the client gone as soon as the stopped
  // statement tries to answer, and nothing of ours can read a half-finished reply.
  shut_socket(handle_.get());
  claim_.drop_stream();  // nobody holds a dead stream
  stream_result_.reset();
  watch_.reset();
  handle_.reset();
  deferred_stmts_.clear();
  if (first && kill_query && thread_id_ != 0 && !side_session_) return send_kill_query(wait_for_kill);
  return false;
}

bool mysql_session::send_kill_query(bool wait_for_it) {
  // A side connection with short limits; the interrupted fiber may be unwinding a kill or
  // an expired timeout scope, so the work runs in its own fiber and is not waited for then.
  connect_options side = options_;
  side.init_commands.clear();
  side.connect_timeout = std::chrono::seconds(2);
  side.read_timeout = std::chrono::seconds(2);
  side.write_timeout = std::chrono::seconds(2);
  const std::uint64_t victim = thread_id_;
  // Set when the server answered that it no longer has (or is ending) the session: a lost
  // connection was then ended by the server, not by the network. Asked only when waited for.
  auto gone = std::make_shared<bool>(false);
  auto task = [side = std::move(side), victim, gone, ask = wait_for_it] {
    // Shielded: a hub shutting down must not cut the KILL short and leave the query running
    // on the server. The side session's own 2 s limits bound the work.
    kill_shield shield;
    try {
      auto s = connect_session(side);
      s->mark_side_session();
      s->run("kill_query", op_kind::plain, [&] {
        if (ask) {
          // A killed session may linger a moment in state "Killed" before it disappears.
          send_text_query(*s, "SELECT COMMAND FROM information_schema.PROCESSLIST WHERE ID = " + std::to_string(victim),
                          {});
          const result r = std::move(read_results(*s, false).front());
          if (r.rows.empty() || r.rows.front().get<std::string>(0) == "Killed") {
            *gone = true;
            return;
          }
        }
        send_text_query(*s, "KILL QUERY " + std::to_string(victim), {});
        read_results(*s, false);
      });
    } catch (const error& e) {
      if (e.code() == 1094) *gone = true;  // unknown thread: the session is gone already
    } catch (const std::exception&) {
      // Best effort: the server may be unreachable.
    }
  };
  fiber killer;
  try {
    killer = spawn(std::move(task), {.name = "fibersql-kill-query"});
  } catch (...) {
    return false;  // no hub (called outside the runtime): nothing more can be done
  }
  if (!wait_for_it) return false;
  // Bounded: a dead network must not hold the caller's error back for long; past the
  // bound the KILL carries on in its own fiber.
  try {
    return killer.join(std::chrono::seconds(1)) && *gone;
  } catch (const std::exception&) {
    return false;
  }
}

void mysql_session::end_stream() noexcept {
  stream_result_.reset();
  claim_.end_stream();
}

void mysql_session::close() noexcept {
  if (claim_.held() && !claim_.stream_open()) {
    // Another fiber is parked on this socket: closing the descriptor under its wait would
    // be unsafe, so shut it; that fiber's operation fails and closes the handle on its way out.
    claim_.mark_broken();
    shut_socket(handle_.get());
    return;
  }
  if (claim_.stream_open()) {
    claim_.drop_stream();
    // An unfinished unbuffered result cannot be skipped without waiting.
    claim_.mark_broken();
    shut_socket(handle_.get());
  }
  stream_result_.reset();
  watch_.reset();
  handle_.reset();  // invalidates the statements: freeing them afterwards is local only
  deferred_stmts_.clear();
}

void mysql_session::close_statement(stmt_handle stmt) noexcept {
  if (!stmt) return;
  if (claim_.held() && handle_) {
    deferred_stmts_.push_back(std::move(stmt));
    return;
  }
  if (close_stmt_without_waiting(stmt.release()) && handle_) {
    claim_.mark_broken();  // the socket had to be shut to finish the close
    close();
  }
}

void mysql_session::raise() const {
  MYSQL* m = handle_.get();
  const unsigned code = mysql_errno(m);
  raise_mysql_error(code, mysql_sqlstate(m), mysql_error(m), mysql_error_reason(code, wait_timed_out_));
}

void mysql_session::raise(MYSQL_STMT* stmt) const {
  const unsigned code = mysql_stmt_errno(stmt);
  raise_mysql_error(code, mysql_stmt_sqlstate(stmt), mysql_stmt_error(stmt), mysql_error_reason(code, wait_timed_out_));
}

}  // namespace fibersql::mysql::detail
