#include "detail/handles.hpp"

#include <fcntl.h>
#include <sys/socket.h>

namespace fibersql::mysql::detail {

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
  finish_timed_out(status, [m](int ready) { return mysql_close_cont(m, ready); });
}

void result_freer::operator()(MYSQL_RES* r) const noexcept {
  if (r == nullptr) return;
  int status = mysql_free_result_start(r);
  finish_timed_out(status, [r](int ready) { return mysql_free_result_cont(r, ready); });
}

bool close_stmt_without_waiting(MYSQL_STMT* s) noexcept {
  if (s == nullptr) return false;
  my_bool ret = 0;
  int status = mysql_stmt_close_start(&ret, s);
  if (status == 0) return false;
  if (s->mysql != nullptr) shut_socket(s->mysql);
  finish_timed_out(status, [&ret, s](int ready) { return mysql_stmt_close_cont(&ret, s, ready); });
  return true;
}

}  // namespace fibersql::mysql::detail
