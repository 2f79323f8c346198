#include <fibersql/metrics/prometheus.hpp>

#include <charconv>
#include <chrono>
#include <string_view>

namespace fibersql::metrics {
namespace {

double seconds(clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// Label values escape backslash, double quote and newline (the text format's only escapes).
std::string escape_label(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

// Shortest text that reads back as the same double ("0.1", not "0.10000000000000001"), so
// that `le` labels stay the same from scrape to scrape and readable.
std::string number(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

// with_le: `labels` (empty or ending in ',') followed by a histogram bucket's le label.
std::string with_le(std::string labels, std::string_view le) {
  labels += "le=\"";
  labels += le;
  labels += '"';
  return labels;
}

std::string number(std::uint64_t v) {
  return std::to_string(v);
}

// One family at a time: HELP and TYPE once, then its samples.
class writer {
 public:
  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += "# HELP ";
    out_ += name;
    out_ += ' ';
    out_ += help;  // our own text: no backslash or newline to escape
    out_ += "\n# TYPE ";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
  }
  void sample(std::string_view name, std::string_view labels, const std::string& value) {
    out_ += name;
    if (!labels.empty()) {
      out_ += '{';
      out_ += labels;
      out_ += '}';
    }
    out_ += ' ';
    out_ += value;
    out_ += '\n';
  }
  void histogram(std::string_view name, const std::string& labels, const histogram_snapshot& h) {
    std::uint64_t cumulative = 0;
    const std::string prefix = labels.empty() ? "" : labels + ",";
    for (std::size_t i = 0; i < h.buckets.size(); ++i) {
      cumulative += h.buckets[i];
      const std::string le = i < duration_bounds.size() ? number(duration_bounds[i]) : "+Inf";
      sample(std::string(name) + "_bucket", with_le(prefix, le), number(cumulative));
    }
    sample(std::string(name) + "_sum", labels, number(h.sum_seconds));
    sample(std::string(name) + "_count", labels, number(cumulative));
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

std::string label(std::string_view key, std::string_view value) {
  return std::string(key) + "=\"" + escape_label(value) + "\"";
}

// OpenTelemetry's attribute db.client.connection.pool.name, in Prometheus form.
std::string pool_label(const pool_entry& p) {
  return label("db_client_connection_pool_name", p.name);
}

void render_pools(writer& w, const snapshot& s) {
  if (s.pools.empty()) return;
  w.family("db_client_connection_count", "gauge",
           "Connections open now, by state (OpenTelemetry db.client.connection.count).");
  for (const auto& p : s.pools) {
    w.sample("db_client_connection_count", pool_label(p) + ",db_client_connection_state=\"idle\"",
             number(std::uint64_t{p.stats.idle}));
    w.sample("db_client_connection_count", pool_label(p) + ",db_client_connection_state=\"used\"",
             number(std::uint64_t{p.stats.in_use}));
  }
  w.family("db_client_connection_max", "gauge",
           "Largest number of open connections allowed (db.client.connection.max).");
  for (const auto& p : s.pools)
    w.sample("db_client_connection_max", pool_label(p), number(std::uint64_t{p.stats.max_open}));
  w.family("db_client_connection_pending_requests", "gauge",
           "Fibers waiting for a connection now (db.client.connection.pending_requests).");
  for (const auto& p : s.pools)
    w.sample("db_client_connection_pending_requests", pool_label(p), number(std::uint64_t{p.stats.waiters}));
  w.family("db_client_connection_timeouts_total", "counter",
           "acquire() calls that timed out (db.client.connection.timeouts).");
  for (const auto& p : s.pools)
    w.sample("db_client_connection_timeouts_total", pool_label(p), number(p.stats.timeouts));
  w.family("db_client_connection_wait_time_seconds", "histogram",
           "Time acquire() calls waited for a connection (db.client.connection.wait_time).");
  for (const auto& p : s.pools) {
    // Finished waits only, so that the +Inf bucket, _count and _sum agree.
    const std::string l = pool_label(p);
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < p.stats.wait_histogram.size(); ++i) {
      cumulative += p.stats.wait_histogram[i];
      const std::string le = i < pool::wait_bounds.size() ? number(seconds(pool::wait_bounds[i])) : "+Inf";
      w.sample("db_client_connection_wait_time_seconds_bucket", with_le(l + ",", le), number(cumulative));
    }
    w.sample("db_client_connection_wait_time_seconds_sum", l, number(seconds(p.stats.wait_duration)));
    w.sample("db_client_connection_wait_time_seconds_count", l, number(cumulative));
  }
  w.family("fibersql_pool_open_connections", "gauge",
           "Connections open or being opened (in use, idle and in transit).");
  for (const auto& p : s.pools)
    w.sample("fibersql_pool_open_connections", pool_label(p), number(std::uint64_t{p.stats.open}));
  w.family("fibersql_pool_opened_total", "counter", "Connections the pool opened successfully.");
  for (const auto& p : s.pools) w.sample("fibersql_pool_opened_total", pool_label(p), number(p.stats.opened));
  w.family("fibersql_pool_open_failures_total", "counter", "Connection attempts that failed.");
  for (const auto& p : s.pools)
    w.sample("fibersql_pool_open_failures_total", pool_label(p), number(p.stats.open_failures));
  w.family("fibersql_pool_closed_total", "counter", "Connections the pool closed, by reason.");
  for (const auto& p : s.pools) {
    const std::string l = pool_label(p) + ",reason=";
    w.sample("fibersql_pool_closed_total", l + "\"max_idle\"", number(p.stats.max_idle_closed));
    w.sample("fibersql_pool_closed_total", l + "\"max_lifetime\"", number(p.stats.max_lifetime_closed));
    w.sample("fibersql_pool_closed_total", l + "\"max_idle_time\"", number(p.stats.max_idle_time_closed));
    w.sample("fibersql_pool_closed_total", l + "\"broken\"", number(p.stats.broken_closed));
  }
  w.family("fibersql_pool_leaks_reported_total", "counter", "Borrowed connections reported as held too long.");
  for (const auto& p : s.pools)
    w.sample("fibersql_pool_leaks_reported_total", pool_label(p), number(p.stats.leaks_reported));
}

void render_databases(writer& w, const snapshot& s) {
  if (s.databases.empty()) return;
  w.family("fibersql_db_fiber_connections", "gauge", "Connections held by fibers through the database now.");
  for (const auto& d : s.databases)
    w.sample("fibersql_db_fiber_connections", label("database", d.name), number(std::uint64_t{d.fiber_connections}));
  w.family("fibersql_db_abandoned_transactions_total", "counter",
           "Transactions a fiber left open that the exit hook rolled back.");
  for (const auto& d : s.databases)
    w.sample("fibersql_db_abandoned_transactions_total", label("database", d.name), number(d.abandoned_transactions));
  w.family("fibersql_db_acquire_failures_total", "counter", "Connection acquisitions that failed.");
  for (const auto& d : s.databases)
    w.sample("fibersql_db_acquire_failures_total", label("database", d.name), number(d.acquire_failures));
}

void render_hubs(writer& w, const snapshot& s) {
  if (s.hubs.empty()) return;
  struct gauge {
    const char* name;
    const char* help;
    clock::duration latency_stats::*field;
  };
  for (const gauge& g :
       {gauge{"fibersql_hub_latency_p50_seconds", "Median lateness of the hub's latency probe.", &latency_stats::p50},
        gauge{"fibersql_hub_latency_p99_seconds", "99th percentile lateness of the hub's latency probe.",
              &latency_stats::p99},
        gauge{"fibersql_hub_latency_max_seconds", "Largest lateness of the hub's latency probe.",
              &latency_stats::max}}) {
    w.family(g.name, "gauge", g.help);
    for (const auto& h : s.hubs) w.sample(g.name, label("hub", h.name), number(seconds(h.latency.*g.field)));
  }
  w.family("fibersql_hub_ready_fibers", "gauge", "Fibers in the hub's ready queues.");
  for (const auto& h : s.hubs)
    w.sample("fibersql_hub_ready_fibers", label("hub", h.name), number(std::uint64_t{h.ready_fibers}));
  w.family("fibersql_hub_live_fibers", "gauge", "Fibers alive on the hub.");
  for (const auto& h : s.hubs)
    w.sample("fibersql_hub_live_fibers", label("hub", h.name), number(std::uint64_t{h.live_fibers}));
  w.family("fibersql_hub_blocked_reports_total", "counter", "Watchdog reports of a fiber holding the hub.");
  for (const auto& h : s.hubs)
    w.sample("fibersql_hub_blocked_reports_total", label("hub", h.name), number(h.latency.blocked_reports));
}

void render_statements(writer& w, const snapshot& s) {
  if (s.statements.empty()) return;
  w.family("db_client_operation_duration_seconds", "histogram",
           "Duration of statements (OpenTelemetry db.client.operation.duration).");
  for (const auto& st : s.statements)
    w.histogram("db_client_operation_duration_seconds", label("name", st.name), st.stats.duration);
  w.family("fibersql_statements_total", "counter", "Statements run.");
  for (const auto& st : s.statements)
    w.sample("fibersql_statements_total", label("name", st.name), number(st.stats.count));
  w.family("fibersql_statement_errors_total", "counter", "Statements that failed.");
  for (const auto& st : s.statements)
    w.sample("fibersql_statement_errors_total", label("name", st.name), number(st.stats.errors));
}

}  // namespace

std::string render_prometheus(const snapshot& s) {
  writer w;
  render_pools(w, s);
  render_databases(w, s);
  render_hubs(w, s);
  render_statements(w, s);
  return w.take();
}

}  // namespace fibersql::metrics
