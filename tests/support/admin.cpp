#include "support/admin.hpp"

#include <fibersql/runtime/this_fiber.hpp>

#include "support/test_env.hpp"

namespace fibersql::testing {

admin::admin() : conn_(mysql::connection::open(test_mysql_url())) {}

bool admin::session_exists(std::uint64_t thread_id) {
  const result r = conn_->query("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = ?", {value(thread_id)});
  return r.rows.at(0).get<std::int64_t>(0) > 0;
}

bool admin::wait_session_gone(std::uint64_t thread_id, clock::duration limit) {
  const deadline until = deadline_after(limit);
  while (session_exists(thread_id)) {
    if (clock::now() >= until) return false;
    this_fiber::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

std::size_t admin::user_sessions() {
  const result r = conn_->query(
      "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = SUBSTRING_INDEX(USER(), '@', 1) AND ID <> "
      "CONNECTION_ID()");
  return static_cast<std::size_t>(r.rows.at(0).get<std::int64_t>(0));
}

void admin::kill_connection(std::uint64_t thread_id) {
  conn_->query("KILL CONNECTION " + std::to_string(thread_id));
}

}  // namespace fibersql::testing
