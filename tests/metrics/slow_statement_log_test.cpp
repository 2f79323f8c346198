// slow_statement_log: statements at or over the threshold are logged (to a callback, or to the
// library's log sink by default), faster ones are not, and no line ever carries a bound value or
// an error message (which can quote one), only the parameter count and errno/SQLSTATE.
#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

#include <fibersql/db/database.hpp>
#include <fibersql/metrics/slow_statement_log.hpp>
#include <fibersql/runtime/log.hpp>
#include <fibersql/runtime/runtime.hpp>
#include <fibersql/sql/errors.hpp>

namespace fibersql::metrics {
namespace {

using namespace std::chrono_literals;

const std::string secret = "s3cr3t-value-4711";

// Runs statements with `secret` bound, one of which fails on a UNIQUE constraint.
void run_statements(slow_statement_log& log) {
  db::database_options o;
  o.on_statement = log.hook();
  db::database database{"sqlite::memory:", o};
  fibersql::run([&] {
    spawn(
        [&] {
          database.execute("CREATE TABLE t (k TEXT UNIQUE)");
          database.execute("INSERT INTO t VALUES (?)", {value(secret)});
          EXPECT_THROW(database.execute("INSERT INTO t VALUES (?)", {value(secret)}), integrity_error);
        },
        {.name = "writer"})
        .join();
  });
}

TEST(slow_statement_log, logs_slow_statements_without_parameter_values) {
  std::vector<std::string> lines;
  slow_statement_log log({.threshold = 0ns, .sink = [&](std::string_view l) { lines.emplace_back(l); }});
  run_statements(log);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_NE(lines[1].find("slow statement: "), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find("(writer)"), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find("1 params"), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find(": INSERT INTO t VALUES (?)"), std::string::npos) << lines[1];
  EXPECT_NE(lines[2].find("error "), std::string::npos) << lines[2];
  EXPECT_NE(lines[2].find("(23505)"), std::string::npos) << lines[2];
  for (const std::string& l : lines) {
    EXPECT_EQ(l.find(secret), std::string::npos) << l;
    EXPECT_EQ(l.find("UNIQUE constraint failed"), std::string::npos) << l;  // the error's message
  }
}

TEST(slow_statement_log, statements_under_the_threshold_are_not_logged) {
  std::vector<std::string> lines;
  slow_statement_log log({.threshold = 1h, .sink = [&](std::string_view l) { lines.emplace_back(l); }});
  run_statements(log);
  EXPECT_TRUE(lines.empty());
}

TEST(slow_statement_log, default_goes_to_the_library_log_sink_as_a_warning) {
  std::mutex m;
  std::vector<std::pair<log_level, std::string>> got;
  set_log_sink([&](log_level level, std::string_view message) {
    std::lock_guard lock(m);
    if (message.find("slow statement") != std::string_view::npos) got.emplace_back(level, std::string(message));
  });
  slow_statement_log log({.threshold = 0ns});
  run_statements(log);
  set_log_sink({});
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].first, log_level::warning);
  for (const auto& [level, message] : got) EXPECT_EQ(message.find(secret), std::string::npos) << message;
}

TEST(slow_statement_log, long_sql_is_cut) {
  slow_statement_log log({.threshold = 0ns, .sql_limit = 10});
  db::statement_event e;
  const std::string sql = "SELECT 1234567890 FROM somewhere";
  e.sql = sql;
  const std::string line = log.format(e);
  EXPECT_NE(line.find(": SELECT 123..."), std::string::npos) << line;
  EXPECT_EQ(line.find("somewhere"), std::string::npos) << line;
}

}  // namespace
}  // namespace fibersql::metrics
