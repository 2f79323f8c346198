// database_stats::dump: the text users paste into a bug report.
#include <fibersql/db/database_stats.hpp>

#include <sstream>

namespace fibersql::db {
namespace {

long long ms(clock::duration d) {
  return static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
}

}  // namespace

std::string database_stats::dump() const {
  std::ostringstream out;
  out << "database " << source << ": " << open_connections << " open, " << opened << " opened, " << closed
      << " closed (" << discarded_broken << " broken), " << acquire_failures << " failed acquires, " << abandoned_total
      << " abandoned transactions\n";
  for (const held_connection& h : holders) {
    out << "  fiber " << h.fiber_id << " '" << h.fiber_name << "': " << h.backend;
    if (h.server_thread_id != 0) out << " thread " << h.server_thread_id;
    out << ", held " << ms(h.held_for) << " ms, depth " << h.transaction_depth
        << (h.in_transaction ? ", in transaction" : "");
    if (!h.current_statement.empty()) {
      out << ", running " << ms(h.statement_running_for) << " ms: " << h.current_statement;
    } else if (!h.last_statement.empty()) {
      out << ", idle, last: " << h.last_statement;
    } else {
      out << ", idle";
    }
    out << '\n';
  }
  for (const abandoned_transaction& a : recent_abandoned) {
    out << "  abandoned: fiber " << a.fiber_id << " '" << a.fiber_name << "' held " << ms(a.held_for) << " ms, depth "
        << a.transaction_depth << ", rolled back " << (a.rolled_back ? "yes" : "no") << ", last: " << a.last_statement
        << '\n';
  }
  return out.str();
}

}  // namespace fibersql::db
