#include "handles.hpp"

#include <fcntl.h>
#include <sys/socket.h>

namespace fibersql::detail {
namespace {
// A pending step is told its wait timed out, which makes it give up instead of waiting.
// The bound only guards against a library that keeps asking; each step fails in one go.
constexpr int max_forced_steps = 64;
}  // namespace

void shut_socket(MYSQL* m) noexcept {
  if (m == nullptr) return;
  const int fd = static_cast<int>(mysql_get_socket(m));
  if (fd < 0) return;
  // An abandoned session must end on the server at once. A graceful FIN does not do it: a
  // server thread blocked writing a large result (an unread row stream) keeps waiting for
  // window space until net_write_timeout, and KILL QUERY cannot interrupt that write.
  // Linger {on, 0} makes the close send RST, which fails the server's write at once.
  const linger abort_on_close{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close);
  ::shutdown(fd, SHUT_RDWR);
}

void set_cloexec(MYSQL* m) noexcept {
  if (m == nullptr) return;
  const int fd = static_cast<int>(mysql_get_socket(m));
  if (fd < 0) return;
  const int flags = ::fcntl(fd, F_GETFD);
  if (flags >= 0 && !(flags & FD_CLOEXEC)) ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

void close_without_waiting(MYSQL* m) noexcept {
  if (m == nullptr) return;
  int status = mysql_close_start(m);
  if (status != 0) shut_socket(m);
  for (int i = 0; status != 0 && i < max_forced_steps; ++i) {
    status = mysql_close_cont(m, MYSQL_WAIT_TIMEOUT);
  }
}

void result_freer::operator()(MYSQL_RES* r) const noexcept {
  if (r == nullptr) return;
  int status = mysql_free_result_start(r);
  for (int i = 0; status != 0 && i < max_forced_steps; ++i) {
    status = mysql_free_result_cont(r, MYSQL_WAIT_TIMEOUT);
  }
}

bool close_stmt_without_waiting(MYSQL_STMT* s) noexcept {
  if (s == nullptr) return false;
  my_bool ret = 0;
  int status = mysql_stmt_close_start(&ret, s);
  if (status == 0) return false;
  if (s->mysql != nullptr) shut_socket(s->mysql);
  for (int i = 0; status != 0 && i < max_forced_steps; ++i) {
    status = mysql_stmt_close_cont(&ret, s, MYSQL_WAIT_TIMEOUT);
  }
  return true;
}

}  // namespace fibersql::detail
