#include "detail/reply_wait.hpp"

#include <cerrno>
#include <mutex>

#include "detail/client_plugin.hpp"

namespace fibersql::mysql::detail {
namespace {

// The socket transport's own methods (one static table in Connector/C, shared by every TCP
// and unix-socket connection) and our copy of it with async_read wrapped. Both live for the
// process, as Connector/C's does.
PVIO_METHODS* socket_methods = nullptr;
PVIO_METHODS hooked_methods{};
std::once_flag hooked_once;

// The transport whose next read is the first of a reply just requested (this thread's hub).
thread_local const MARIADB_PVIO* awaiting_reply = nullptr;

ssize_t read_after_wait(MARIADB_PVIO* pvio, uchar* buffer, size_t length) {
  if (pvio == awaiting_reply) {
    awaiting_reply = nullptr;
    errno = EAGAIN;  // Connector/C yields MYSQL_WAIT_READ; the hub wakes the fiber when readable
    return -1;
  }
  return socket_methods->async_read(pvio, buffer, length);
}

}  // namespace

void install_reply_wait(MYSQL* m) noexcept {
  MARIADB_PVIO* pvio = m != nullptr ? m->net.pvio : nullptr;
  if (pvio == nullptr || pvio->methods == nullptr || pvio->methods->async_read == nullptr) return;
  std::call_once(hooked_once, [pvio] {
    socket_methods = pvio->methods;
    hooked_methods = *pvio->methods;
    hooked_methods.async_read = read_after_wait;
  });
  if (pvio->methods == socket_methods) pvio->methods = &hooked_methods;
}

reply_wait::reply_wait(MYSQL* m) noexcept {
  MARIADB_PVIO* pvio = m->net.pvio;
  if (pvio != nullptr && pvio->methods == &hooked_methods) awaiting_reply = pvio;
}

reply_wait::~reply_wait() {
  awaiting_reply = nullptr;
}

}  // namespace fibersql::mysql::detail
