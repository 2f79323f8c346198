#pragma once
// Server-side views for tests: sessions in information_schema.PROCESSLIST, KILL CONNECTION.
#include <cstdint>
#include <memory>

#include <fibersql/mysql/connection.hpp>
#include <fibersql/runtime/clock.hpp>

namespace fibersql::testing {

// A separate connection to the test server for inspecting and killing sessions.
class admin {
 public:
  admin();  // Throws: as mysql::connection::open. Call from a fiber.
  // True while the server still has a session with this id.
  bool session_exists(std::uint64_t thread_id);
  // Waits up to `limit` for the session to disappear; true if it did.
  bool wait_session_gone(std::uint64_t thread_id, clock::duration limit);
  // Sessions of the test user other than this admin's own.
  std::size_t user_sessions();
  void kill_connection(std::uint64_t thread_id);
  mysql::connection& connection() { return *conn_; }

 private:
  std::unique_ptr<mysql::connection> conn_;
};

}  // namespace fibersql::testing
