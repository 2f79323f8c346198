#pragma once
// The first read of a reply that cannot have arrived yet, answered "would block" without a
// system call (src/mysql/reply_wait.cpp).
//
// Connector/C's non-blocking calls that send a request and read its reply in one step
// (mysql_stmt_execute_start and friends) try a recv() the moment the request is sent. On a
// busy hub that recv nearly always fails with EAGAIN: a wasted system call per statement,
// and measured here it also doubles the client's context switches (bench/orm_overhead,
// docs/performance.md "ORM overhead"). The text path splits send from read and waits first
// (mysql_session::wait_for_reply); the statement API has no such split, so this hook makes
// Connector/C's own first read yield to the hub instead.
#include <mysql.h>

namespace fibersql::mysql::detail {

// install_reply_wait: gives a connected handle's plain socket transport the read hook. A
// transport it does not know (another pvio plugin) is left as it is. Call once connected.
void install_reply_wait(MYSQL* m) noexcept;

// reply_wait: while alive, the handle's next raw socket read reports EAGAIN without trying,
// once, so Connector/C asks to wait for the socket (exactly as after a real EAGAIN) and the
// fiber parks until the reply is there. Scope it around a `_start` call that sends a request
// and then reads: such a call runs on this thread without yielding until its first wait, so
// no other fiber's read can see the mark. Reads served from Connector/C's read-ahead cache
// and TLS reads (OpenSSL reads the socket itself) never reach the hook; the mark then ends
// with the scope.
class reply_wait {
 public:
  explicit reply_wait(MYSQL* m) noexcept;
  ~reply_wait();
  reply_wait(const reply_wait&) = delete;
  reply_wait& operator=(const reply_wait&) = delete;
};

}  // namespace fibersql::mysql::detail
