#include <fibersql/metrics/slow_statement_log.hpp>

#include <cstdio>
#include <exception>

#include <fibersql/runtime/log.hpp>
#include <fibersql/sql/errors.hpp>

namespace fibersql::metrics {
namespace {

// What failed, without the message (which may quote a bound value).
std::string describe_error(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const fibersql::error& e) {
    return "error " + std::to_string(e.code()) + " (" + e.sqlstate() + ")";
  } catch (...) {
    return "error (not a database error)";
  }
}

}  // namespace

std::string slow_statement_log::format(const db::statement_event& e) const {
  char head[160];
  std::snprintf(head, sizeof head, "slow statement: %.3f ms, fiber %llu",
                std::chrono::duration<double, std::milli>(e.duration).count(),
                static_cast<unsigned long long>(e.fiber_id));
  std::string line = head;
  if (!e.fiber_name.empty()) line.append(" (").append(e.fiber_name).append(")");
  line += ", " + std::to_string(e.param_count) + " params, " + std::to_string(e.rows) + " rows, ";
  line += e.error ? describe_error(e.error) : std::string("ok");
  line += ": ";
  if (e.sql.size() > options_.sql_limit) {
    line.append(e.sql.substr(0, options_.sql_limit)).append("...");
  } else {
    line.append(e.sql);
  }
  return line;
}

void slow_statement_log::record(const db::statement_event& e) noexcept {
  if (e.duration < options_.threshold) return;
  try {
    const std::string line = format(e);
    if (options_.sink) {
      options_.sink(line);
    } else {
      detail::log_message(log_level::warning, line);
    }
  } catch (...) {
    // A log line must never fail the statement it reports on.
  }
}

}  // namespace fibersql::metrics
