#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// A slow-statement log fed by database_options::on_statement: one line per statement that took
// at least a threshold. It never contains parameter values (only their count), nor an error's
// message (a server message can quote a value: "Duplicate entry 'x'"), only its errno/SQLSTATE.
#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include <fibersql/db/statement_event.hpp>

namespace fibersql::metrics {

struct slow_statement_options {
  // Statements that took this long or longer are logged.
  clock::duration threshold = std::chrono::milliseconds(100);
  // SQL text longer than this (bytes) is cut, with "..." appended.
  std::size_t sql_limit = 512;
  // Receives each line (no trailing newline), on the statement's fiber; must not throw or wait.
  // Default (empty): the library's log sink (set_log_sink) at level warning.
  std::function<void(std::string_view line)> sink{};
};

class slow_statement_log {
 public:
  explicit slow_statement_log(slow_statement_options options = {}) : options_(std::move(options)) {}
  // record: logs `e` if it was slow. Never throws. Fiber-safety: as the sink is.
  void record(const db::statement_event& e) noexcept;
  // hook: a database_options::on_statement that records into *this (which must outlive it).
  std::function<void(const db::statement_event&)> hook() noexcept {
    return [this](const db::statement_event& e) { record(e); };
  }
  // format: the line record() would log for `e`.
  std::string format(const db::statement_event& e) const;

 private:
  slow_statement_options options_;
};

}  // namespace fibersql::metrics
FIBERSQL_PUBLIC_END
