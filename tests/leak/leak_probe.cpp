#include "leak/leak_probe.hpp"

#include <thread>

#include <fibersql/runtime/hub.hpp>

#include "support/admin.hpp"
#include "support/test_env.hpp"

namespace fibersql::leak {
namespace {

std::size_t server_sessions() {
  // Its own hub and admin connection, both gone before the descriptor count is taken.
  return fibersql::run([] { return testing::admin{}.user_sessions(); });
}

}  // namespace

snapshot probe::measure() const {
  snapshot s;
  if (with_server_) s.sessions = server_sessions();
  s.fds = testing::open_fd_count();
  return s;
}

std::vector<std::string> probe::leaks_since(const snapshot& base, clock::duration settle) const {
  const deadline until = deadline_after(settle);
  for (;;) {
    // Closing a socket ends the server session a little later; descriptors go at once but a
    // helper (KILL QUERY side connection) may still be finishing: poll until settled.
    const snapshot now = measure();
    std::vector<std::string> out;
    if (now.fds != base.fds) out.push_back("fds: " + std::to_string(base.fds) + " -> " + std::to_string(now.fds));
    if (now.sessions != base.sessions) {
      out.push_back("server sessions: " + std::to_string(base.sessions) + " -> " + std::to_string(now.sessions));
    }
    if (out.empty() || clock::now() >= until) return out;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::vector<std::string> stats_leaks(const db::database& db) {
  const db::database_stats s = db.stats();
  std::vector<std::string> out;
  if (s.open_connections != 0) out.push_back("open_connections " + std::to_string(s.open_connections));
  if (s.opened != s.closed) {
    out.push_back("opened " + std::to_string(s.opened) + " != closed " + std::to_string(s.closed));
  }
  if (!s.holders.empty()) out.push_back("holders:\n" + s.dump());
  return out;
}

std::string describe(const std::vector<std::string>& leaks) {
  std::string out;
  for (const std::string& l : leaks) out += "  " + l + "\n";
  return out;
}

}  // namespace fibersql::leak
