#pragma once
// The state behind one MySQL connection, shared by the connection facade, its statements and
// its row streams (so that they never dangle when the facade goes first).
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <mysql.h>

#include <fibersql/mysql/options.hpp>
#include <fibersql/runtime/detail/scope_exit.hpp>
#include <fibersql/runtime/io_watch.hpp>
#include <fibersql/sql/detail/connection_claim.hpp>
#include <fibersql/sql/errors.hpp>

#include "handles.hpp"

namespace fibersql::mysql::detail {

// What an interrupted operation leaves running on the server.
enum class op_kind {
  plain,  // connect, ping, commit...: nothing outlives the client's wait
  query,  // a statement may still be executing: send KILL QUERY when interrupted
};

class mysql_session {
 public:
  mysql_session(connect_options options, mysql_handle handle);
  ~mysql_session() { close(); }
  mysql_session(const mysql_session&) = delete;
  mysql_session& operator=(const mysql_session&) = delete;

  MYSQL* handle() const noexcept { return handle_.get(); }
  const connect_options& options() const noexcept { return options_; }
  bool broken() const noexcept { return claim_.broken(); }
  bool closed() const noexcept { return handle_ == nullptr; }
  std::uint64_t thread_id() const noexcept { return thread_id_; }
  // connected: the handshake is done (records the server's session id); from now on the socket stays registered with
  // the hub (an io_watch), which saves an epoll_ctl per wait. Throws: misuse_error without a hub.
  void connected();

  // run: the one entry for every operation: claims the connection for the calling fiber,
  // runs `body`, and on a poisoning error, timeout, kill or any other exception breaks the
  // connection (telling the server to stop a query first) before rethrowing.
  template <class F>
  decltype(auto) run(const char* what, op_kind kind, F&& body) {
    claim(what);
    fibersql::detail::scope_exit release = [this]() noexcept { this->release(); };
    return guarded(kind, std::forward<F>(body));
  }
  // guarded: `body` with run()'s failure handling (detail::run_guarded, which never waits
  // inside a catch block), for a caller that already holds the claim. A poisoning client
  // error of a query also stops the statement on the server.
  template <class F>
  decltype(auto) guarded(op_kind kind, F&& body) {
    const bool query = kind == op_kind::query;
    return fibersql::detail::run_guarded(
        std::forward<F>(body),
        [this, query](const std::exception_ptr& failure, unsigned code) {
          break_after(failure, query && is_client_error(code));
        },
        [this, query] {
          claim_.set_broken_reason(error_reason::cancelled);
          poison(query, false);  // does not wait
        });
  }
  // break_after: breaks the connection after `failure` (a poisoning error), waiting up to 1 s
  // for the side session's verdict; a lost connection whose session the server no longer
  // has becomes killed_by_server (set on the error, which run_guarded then rethrows).
  void break_after(const std::exception_ptr& failure, bool kill_query);

  // claim/release: mark the connection busy for the calling fiber (the rules and messages
  // are detail::connection_claim's).
  void claim(const char* what);
  void release() noexcept;
  // A row stream keeps the connection claimed between fetches. The session owns the
  // unbuffered result because it must be freed before the MYSQL handle it points into.
  void open_stream(result_handle result) noexcept {
    stream_result_ = std::move(result);
    claim_.hold_for_stream();
  }
  MYSQL_RES* stream_result() const noexcept { return stream_result_.get(); }
  // end_stream: the result was read to its end: frees it; the claim stays until release().
  void end_stream() noexcept;
  // Checks that the calling fiber is the one that holds the open stream.
  void check_stream_owner(const char* what) const;

  // drive: runs a `_start`/`_cont` pair to completion, parking the fiber on every wait.
  // A wait that throws (kill, timeout scope) leaves Connector/C suspended mid-operation on
  // its own coroutine stack: the socket is shut and the step is finished as timed out, so
  // the library unwinds cleanly while the caller's locals are still alive.
  // `timed_out` says the operation's time is already spent (see wait_for_reply): a first
  // wait with a timeout then reports it at once, so Connector/C raises its own timeout error.
  template <class Start, class Cont>
  void drive(Start&& start, Cont&& cont, bool timed_out = false) {
    int status = start();
    while (status != 0) {
      int ready = 0;
      try {
        if (timed_out && (status & MYSQL_WAIT_TIMEOUT)) {
          ready = MYSQL_WAIT_TIMEOUT;
          timed_out = false;
          wait_timed_out_ = true;
        } else {
          ready = wait(status);
        }
      } catch (...) {
        shut_socket(handle_.get());
        finish_timed_out(status, cont);
        throw;
      }
      status = cont(ready);
    }
  }
  // wait_for_reply: after a statement is sent, waits until its reply can be read, bounded by
  // the read timeout. Connector/C would otherwise try a recv that fails with EAGAIN before
  // its first wait: one wasted system call per statement. False: the read timeout passed.
  bool wait_for_reply();
  // wait: one wait for the events Connector/C asked for, bounded by its own timeout value.
  // Returns the MYSQL_WAIT_* mask to hand to the `_cont` call.
  int wait(int status);

  // poison: marks the connection broken and closes it without waiting. With `kill_query`
  // the server is told to stop the running statement over a side connection (the caller
  // waits for that only when `wait_for_kill`, never while unwinding a kill or timeout).
  // Returns true when the side connection reached the server and it no longer knew the
  // session (KILL QUERY answered 1094 "unknown thread").
  bool poison(bool kill_query, bool wait_for_kill) noexcept(false);
  void close() noexcept;
  // close_statement: releases a prepared statement now if the connection is idle, otherwise
  // after the running operation (a COM_STMT_CLOSE must not land inside another exchange).
  void close_statement(stmt_handle stmt) noexcept;

  // raise: throws the DB-API error for the handle's (or statement's) last error.
  [[noreturn]] void raise() const;
  [[noreturn]] void raise(MYSQL_STMT* stmt) const;

  static bool is_client_error(unsigned code) noexcept { return code >= 2000 && code < 3000; }
  // A KILL QUERY side session: its own failures never send another KILL (no chain reaction
  // when the network between us and the server is what failed).
  void mark_side_session() noexcept { side_session_ = true; }

 private:
  // send_kill_query: true if waited for and the server answered "unknown thread" (1094).
  bool send_kill_query(bool wait_for_it) noexcept(false);
  // wait_socket: parks on the connection's socket (its io_watch once connected).
  unsigned wait_socket(unsigned events, deadline until);

  connect_options options_;
  mysql_handle handle_;  // null once closed
  // The socket's registration with the hub. Declared after handle_ so it is dropped first:
  // it must go before the descriptor closes (see io_watch.hpp). Also reset before every
  // handle_.reset(). Empty while connecting: Connector/C may close and reopen sockets then.
  std::optional<io_watch> watch_;
  std::uint64_t thread_id_ = 0;  // server session id, read at connect
  bool side_session_ = false;    // see mark_side_session()
  bool wait_timed_out_ = false;  // the current operation's last wait used up its timeout
  // Who runs an operation or holds a row stream, and whether an interrupted or failed
  // operation left the protocol state unknown (broken).
  fibersql::detail::connection_claim claim_{"MySQL"};
  result_handle stream_result_;              // the open stream's unbuffered result; freed before handle_
  std::vector<stmt_handle> deferred_stmts_;  // statements dropped while the connection was busy
};

// Connects a new session (host names resolved on the shared worker pool, offload). Throws: as open().
std::shared_ptr<mysql_session> connect_session(const connect_options& options);

// raise_mysql_error: builds and throws the DB-API error for a server or client error (error_table.cpp).
[[noreturn]] void raise_mysql_error(unsigned code, std::string_view sqlstate, std::string_view message,
                                    error_reason reason = error_reason::none);
// mysql_error_reason: the reason for `code`; a lost connection counts as a timeout when the
// client's own wait expired (`client_timed_out`). error_table.cpp.
error_reason mysql_error_reason(unsigned code, bool client_timed_out) noexcept;

}  // namespace fibersql::mysql::detail
