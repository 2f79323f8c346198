// render_prometheus: the output is checked line by line against the text exposition format
// (HELP then TYPE once per family, samples of that family only, valid names and escaped label
// values, histograms with increasing `le`, cumulative buckets, +Inf == _count), and carries the
// OpenTelemetry db.client.* names.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <fibersql/db/database.hpp>
#include <fibersql/metrics/prometheus.hpp>
#include <fibersql/metrics/registry.hpp>
#include <fibersql/pool/pool.hpp>
#include <fibersql/runtime/runtime.hpp>
#include <fibersql/sqlite/connection.hpp>

namespace fibersql::metrics {
namespace {

using namespace std::chrono_literals;

bool valid_name(const std::string& n) {
  if (n.empty() || !(std::isalpha(static_cast<unsigned char>(n[0])) || n[0] == '_' || n[0] == ':')) return false;
  for (char c : n) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':')) return false;
  }
  return true;
}

double parse_value(const std::string& v) {
  if (v == "+Inf") return INFINITY;
  if (v == "-Inf") return -INFINITY;
  if (v == "NaN") return NAN;
  std::size_t used = 0;
  const double d = std::stod(v, &used);
  if (used != v.size()) throw std::runtime_error("bad value: " + v);
  return d;
}

struct sample {
  std::string name;
  std::map<std::string, std::string> labels;  // unescaped
  double value;
};

// Parses `name{k="v",...} value`; throws on anything the format does not allow.
sample parse_sample(const std::string& line) {
  sample s;
  std::size_t i = 0;
  while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
  s.name = line.substr(0, i);
  if (!valid_name(s.name)) throw std::runtime_error("bad metric name: " + line);
  if (i < line.size() && line[i] == '{') {
    ++i;
    while (line.at(i) != '}') {
      std::size_t eq = line.find('=', i);
      const std::string key = line.substr(i, eq - i);
      if (!valid_name(key) || key.find(':') != std::string::npos) throw std::runtime_error("bad label name: " + line);
      if (line.at(eq + 1) != '"') throw std::runtime_error("unquoted label value: " + line);
      std::string value;
      std::size_t j = eq + 2;
      for (;; ++j) {
        const char c = line.at(j);
        if (c == '"') break;
        if (c == '\\') {
          const char n = line.at(++j);
          if (n == '\\')
            value += '\\';
          else if (n == '"')
            value += '"';
          else if (n == 'n')
            value += '\n';
          else
            throw std::runtime_error("bad escape: " + line);
        } else {
          value += c;
        }
      }
      if (!s.labels.emplace(key, value).second) throw std::runtime_error("duplicate label: " + line);
      i = j + 1;
      if (line.at(i) == ',') ++i;
    }
    ++i;
  }
  if (line.at(i) != ' ') throw std::runtime_error("no space before value: " + line);
  s.value = parse_value(line.substr(i + 1));
  return s;
}

struct family {
  std::string type;
  std::vector<sample> samples;
};

// check_exposition: every rule above; returns the families by name.
std::map<std::string, family> check_exposition(const std::string& text) {
  EXPECT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  std::map<std::string, family> families;
  std::string current, help_for;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    EXPECT_FALSE(line.empty()) << "blank line";
    if (line.rfind("# HELP ", 0) == 0) {
      help_for = line.substr(7, line.find(' ', 7) - 7);
      EXPECT_TRUE(valid_name(help_for)) << line;
      EXPECT_FALSE(families.count(help_for)) << "family seen twice: " << line;
      continue;
    }
    if (line.rfind("# TYPE ", 0) == 0) {
      std::istringstream t(line.substr(7));
      std::string name, type;
      t >> name >> type;
      EXPECT_EQ(name, help_for) << "TYPE without its HELP just before: " << line;
      EXPECT_TRUE(type == "counter" || type == "gauge" || type == "histogram" || type == "summary" || type == "untyped")
          << line;
      EXPECT_TRUE(families.emplace(name, family{type, {}}).second) << "TYPE twice: " << line;
      current = name;
      continue;
    }
    EXPECT_NE(line[0], '#') << "unknown comment: " << line;
    sample s = parse_sample(line);
    const family& f = families.at(current);
    std::string base = s.name;
    if (f.type == "histogram") {
      for (const char* suffix : {"_bucket", "_sum", "_count"}) {
        const std::string sx = suffix;
        if (base.size() > sx.size() && base.compare(base.size() - sx.size(), sx.size(), sx) == 0) {
          base.resize(base.size() - sx.size());
          break;
        }
      }
      if (s.name == current + "_bucket") {
        EXPECT_TRUE(s.labels.count("le")) << line;
      }
    }
    EXPECT_EQ(base, current) << "sample outside its family: " << line;
    if (f.type == "counter") {
      EXPECT_TRUE(current.size() > 6 && current.ends_with("_total")) << current;
    }
    families.at(current).samples.push_back(std::move(s));
  }
  // Histograms: per label set, le increasing, cumulative, ends with +Inf equal to _count.
  for (const auto& [name, f] : families) {
    if (f.type != "histogram") continue;
    std::map<std::map<std::string, std::string>, std::vector<std::pair<double, double>>> buckets;
    std::map<std::map<std::string, std::string>, double> counts;
    std::set<std::map<std::string, std::string>> sums;
    for (const sample& s : f.samples) {
      auto labels = s.labels;
      if (s.name == name + "_bucket") {
        const double le = parse_value(labels.at("le"));
        labels.erase("le");
        buckets[labels].push_back({le, s.value});
      } else if (s.name == name + "_count") {
        counts[labels] = s.value;
      } else {
        sums.insert(labels);
      }
    }
    EXPECT_FALSE(buckets.empty()) << name;
    for (const auto& [labels, b] : buckets) {
      for (std::size_t i = 1; i < b.size(); ++i) {
        EXPECT_LT(b[i - 1].first, b[i].first) << name;
        EXPECT_LE(b[i - 1].second, b[i].second) << name;
      }
      EXPECT_TRUE(std::isinf(b.back().first)) << name << " lacks le=\"+Inf\"";
      if (!counts.count(labels)) {
        ADD_FAILURE() << name << " lacks _count";
        continue;
      }
      EXPECT_EQ(b.back().second, counts.at(labels)) << name;
      EXPECT_TRUE(sums.count(labels)) << name << " lacks _sum";
    }
  }
  return families;
}

pool::connection_factory shared_memory(const std::string& name) {
  return [name]() -> std::unique_ptr<connection> { return sqlite::connection::open_shared_memory(name); };
}

TEST(prometheus, exposition_follows_the_text_format_with_db_client_names) {
  statement_metrics statements;
  db::database_options o;
  o.on_statement = statements.hook();
  db::database database{"sqlite::memory:", o};
  registry reg;
  std::string text;
  run([&] {
    hub::current().start_monitor({.watchdog_threshold = {}});
    // A name that needs every escape the format has.
    pool::connection_pool pool(shared_memory("prom"), {.max_open = 4});
    registration r1 = reg.add("we\"ird\\pool\nname", pool);
    registration r2 = reg.add("app", database);
    registration r3 = reg.add("hub0", hub::current());
    registration r4 = reg.add("all", statements);
    {
      // Every connection borrowed, one fiber waits, one connection comes back: one finished wait.
      std::vector<pool::pooled_connection> all;
      for (int i = 0; i < 4; ++i) all.push_back(pool.acquire());
      fiber waiter = spawn([&] { pool::pooled_connection c = pool.acquire(); });
      this_fiber::yield();
      all.pop_back();
      waiter.join();
    }
    database.execute("CREATE TABLE t (k INTEGER)");
    for (int i = 0; i < 20; ++i) database.execute("INSERT INTO t VALUES (?)", {value(std::int64_t{i})});
    this_fiber::sleep_for(30ms);  // a few latency probe samples
    text = render_prometheus(reg.take());
    hub::current().stop_monitor();
  });
  const auto families = check_exposition(text);

  const family& count = families.at("db_client_connection_count");
  EXPECT_EQ(count.type, "gauge");
  ASSERT_EQ(count.samples.size(), 2u);
  EXPECT_EQ(count.samples[0].labels.at("db_client_connection_pool_name"), "we\"ird\\pool\nname");
  EXPECT_EQ(count.samples[0].labels.at("db_client_connection_state"), "idle");
  EXPECT_EQ(count.samples[0].value, 4);
  EXPECT_EQ(count.samples[1].labels.at("db_client_connection_state"), "used");
  EXPECT_EQ(families.at("db_client_connection_max").samples.at(0).value, 4);
  for (const char* name :
       {"db_client_connection_pending_requests", "db_client_connection_timeouts_total",
        "db_client_connection_wait_time_seconds", "fibersql_pool_closed_total", "fibersql_db_fiber_connections",
        "fibersql_db_abandoned_transactions_total", "fibersql_hub_latency_p99_seconds", "fibersql_hub_ready_fibers",
        "fibersql_hub_blocked_reports_total", "fibersql_statement_errors_total"}) {
    EXPECT_TRUE(families.count(name)) << name;
  }
  const family& waits = families.at("db_client_connection_wait_time_seconds");
  EXPECT_EQ(waits.type, "histogram");
  EXPECT_EQ(waits.samples.size(), pool::wait_bounds.size() + 1 + 2);  // buckets, +Inf, _sum, _count
  EXPECT_EQ(waits.samples.back().name, "db_client_connection_wait_time_seconds_count");
  EXPECT_EQ(waits.samples.back().value, 1);
  const family& ops = families.at("db_client_operation_duration_seconds");
  EXPECT_EQ(ops.type, "histogram");
  EXPECT_EQ(ops.samples.back().name, "db_client_operation_duration_seconds_count");
  EXPECT_EQ(ops.samples.back().value, 21);
  EXPECT_EQ(families.at("fibersql_statements_total").samples.at(0).value, 21);
  // Bounds print as their shortest form ("0.1", not "0.10000000000000001").
  EXPECT_NE(text.find("db_client_operation_duration_seconds_bucket{name=\"all\",le=\"0.1\"} "), std::string::npos)
      << text;
  EXPECT_NE(text.find(",le=\"0.005\"} "), std::string::npos) << text;
  EXPECT_NE(text.find("db_client_operation_duration_seconds_bucket{name=\"all\",le=\"+Inf\"} 21\n"), std::string::npos)
      << text;
}

// The checker itself must reject what the format forbids, or the test above proves nothing.
TEST(prometheus, checker_rejects_malformed_exposition) {
  EXPECT_THROW(parse_sample("bad-name 1"), std::runtime_error);
  EXPECT_THROW(parse_sample("m{k=\"a\\x\"} 1"), std::runtime_error);
  EXPECT_THROW(parse_sample("m{k=v} 1"), std::runtime_error);
  EXPECT_THROW(parse_sample("m 1x"), std::runtime_error);
  EXPECT_EQ(parse_sample("m{k=\"a\\\"b\\\\c\\nd\"} 2").labels.at("k"), "a\"b\\c\nd");
  ::testing::TestPartResultArray failures;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &failures);
    check_exposition("# HELP h x\n# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_sum 1\nh_count 2\n");  // no +Inf
  }
  EXPECT_GT(failures.size(), 0);
}

}  // namespace
}  // namespace fibersql::metrics
