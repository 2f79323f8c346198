#pragma once
// The leak detector: counts, outside any hub, what a scenario could leave behind — the
// process's descriptors, the server's sessions for the test user — and compares them, with a
// short settling time, to a baseline; plus what the database itself says it holds.
#include <cstddef>
#include <string>
#include <vector>

#include <fibersql/db/database.hpp>
#include <fibersql/runtime/clock.hpp>

namespace fibersql::leak {

struct snapshot {
  std::size_t fds = 0;       // entries of /proc/self/fd
  std::size_t sessions = 0;  // PROCESSLIST rows of the test user (MySQL only; 0 otherwise)
};

class probe {
 public:
  // with_server: also count server sessions (needs the MySQL test server).
  explicit probe(bool with_server) : with_server_(with_server) {}

  // measure: the counts now. Call outside any hub (it runs one of its own for the admin query).
  snapshot measure() const;
  // leaks_since: waits up to `settle` for every count to return to `base`, then describes each
  // one that did not ("fds: 12 -> 13"). Empty means clean. Call outside any hub.
  std::vector<std::string> leaks_since(const snapshot& base, clock::duration settle) const;

 private:
  bool with_server_;
};

// stats_leaks: what db.stats() says is still held, or unbalanced ("open_connections 2").
std::vector<std::string> stats_leaks(const db::database& db);

// Joins the descriptions for a test failure message.
std::string describe(const std::vector<std::string>& leaks);

}  // namespace fibersql::leak
