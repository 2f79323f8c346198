#pragma once
// RAII owners for Connector/C handles. None of them ever waits: releasing a handle whose
// socket still has unread protocol data would need IO, so callers finish or poison first.
#include <memory>

#include <mysql.h>

namespace fibersql::mysql::detail {

// A pending step is told its wait timed out, which makes it give up instead of waiting.
// The bound only guards against a library that keeps asking; each step fails in one go.
inline constexpr int max_forced_steps = 64;

// finish_timed_out: ends a pending `_start`/`_cont` operation by answering each of its waits
// with MYSQL_WAIT_TIMEOUT, at most max_forced_steps times. Returns the last status (0: ended).
template <class Cont>
int finish_timed_out(int status, Cont&& cont) {
  for (int i = 0; status != 0 && i < max_forced_steps; ++i) status = cont(MYSQL_WAIT_TIMEOUT);
  return status;
}

// Closes without waiting: COM_QUIT is attempted only if the socket takes it at once;
// otherwise the socket is shut down so that every remaining step fails immediately.
void close_without_waiting(MYSQL* m) noexcept;
// Shuts the session's socket down so any pending or later IO on it fails at once.
void shut_socket(MYSQL* m) noexcept;
// set_cloexec: marks the handle's socket close-on-exec. Connector/C opens its sockets without
// it, so a fork + exec would hand the database session to the child.
void set_cloexec(MYSQL* m) noexcept;

struct mysql_closer {
  void operator()(MYSQL* m) const noexcept { close_without_waiting(m); }
};
using mysql_handle = std::unique_ptr<MYSQL, mysql_closer>;

// Frees a result. For a stored or fully read result this is pure memory work; for an
// unfinished streamed one the owner must have poisoned the session (socket shut) first.
struct result_freer {
  void operator()(MYSQL_RES* r) const noexcept;
};
using result_handle = std::unique_ptr<MYSQL_RES, result_freer>;

// Closes a prepared statement: COM_STMT_CLOSE gets no reply, so the write either goes out
// at once or the session is shut (and the statement is only freed locally).
// Returns true when the session's socket had to be shut to finish (the session is then
// unusable and must be marked broken by the caller).
bool close_stmt_without_waiting(MYSQL_STMT* s) noexcept;
struct stmt_closer {
  void operator()(MYSQL_STMT* s) const noexcept { close_stmt_without_waiting(s); }
};
using stmt_handle = std::unique_ptr<MYSQL_STMT, stmt_closer>;

}  // namespace fibersql::mysql::detail
