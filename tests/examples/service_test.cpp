// End-to-end test of examples/service: the tweepee-service binary runs as a child process (on
// SQLite, and on the MariaDB fixture), driven over real sockets by fibersql::net clients:
// the API's responses, /metrics, then SIGTERM in the middle of a load: every request in flight
// finishes or fails cleanly (a whole response, or the connection closed — never a torn reply
// or a hang), the process exits 0 and leaves no server session behind.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fibersql/net/connect.hpp>
#include <fibersql/net/errors.hpp>
#include <fibersql/pool/pooled_database.hpp>
#include <fibersql/runtime/runtime.hpp>
#include <fibersql/runtime/this_fiber.hpp>

#include "http_client.hpp"
#include "queries.hpp"
#include "support/admin.hpp"
#include "support/test_env.hpp"

extern char** environ;

namespace {

using namespace std::chrono_literals;
using boost::beast::http::verb;
using json = nlohmann::json;
using tweepee::service::http_client;
using tweepee::service::reply;

// The service as a child process; killed (SIGKILL) and reaped if still running at the end.
class service_process {
 public:
  explicit service_process(const std::vector<std::string>& args) {
    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe2");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    std::vector<char*> argv;
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    stdout_ = out[0];
    if (rc != 0) throw std::system_error(rc, std::generic_category(), "posix_spawn " + args[0]);
  }
  ~service_process() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(stdout_);
  }
  service_process(const service_process&) = delete;
  service_process& operator=(const service_process&) = delete;

  // read_line: the child's next stdout line, waiting up to `limit` (blocking: before the hub).
  std::string read_line(std::chrono::milliseconds limit) {
    std::string line;
    const auto until = std::chrono::steady_clock::now() + limit;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
      pollfd p{stdout_, POLLIN, 0};
      if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0) return line;
      char c = 0;
      if (read(stdout_, &c, 1) != 1 || c == '\n') return line;
      line += c;
    }
  }
  void signal(int signum) const { kill(pid_, signum); }
  // wait_exit: the exit status once the child ended within `limit`, checked from a fiber
  // every 10 ms; nothing if it is still running.
  std::optional<int> wait_exit(fibersql::clock::duration limit) {
    const auto until = fibersql::deadline_after(limit);
    while (fibersql::clock::now() < until) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      fibersql::this_fiber::sleep_for(10ms);
    }
    return std::nullopt;
  }

 private:
  pid_t pid_ = -1;
  int stdout_ = -1;
};

fibersql::net::endpoint endpoint_of(const std::string& listening_line) {
  const std::string prefix = "listening on 127.0.0.1:";
  if (!listening_line.starts_with(prefix)) throw std::runtime_error("service said: '" + listening_line + "'");
  return fibersql::net::endpoint::ip("127.0.0.1",
                                     static_cast<std::uint16_t>(std::stoi(listening_line.substr(prefix.size()))));
}

reply call(http_client& c, verb v, const std::string& target, const json& body = nullptr) {
  return c.send(v, target, body.is_null() ? std::string() : body.dump(), fibersql::deadline_after(10s));
}

// The API, one step at a time, on one keep-alive connection.
void check_api(const fibersql::net::endpoint& at) {
  http_client c(at, 5s);
  for (const char* name : {"ann", "bob", "cy"}) {
    const reply r = call(c, verb::post, "/users", {{"username", name}});
    ASSERT_EQ(r.status, 201u) << r.body;
    EXPECT_TRUE(r.keep_alive);
  }
  const reply again = call(c, verb::post, "/users", {{"username", "ann"}});
  EXPECT_EQ(again.status, 200u);
  EXPECT_EQ(json::parse(again.body)["created"], false);
  EXPECT_EQ(json::parse(call(c, verb::post, "/follows", {{"from", "ann"}, {"to", "bob"}}).body)["followed"], true);
  EXPECT_EQ(json::parse(call(c, verb::post, "/follows", {{"from", "ann"}, {"to", "bob"}}).body)["followed"], false);
  EXPECT_EQ(call(c, verb::post, "/follows", {{"from", "cy"}, {"to", "bob"}}).status, 200u);
  EXPECT_EQ(call(c, verb::post, "/tweets", {{"username", "bob"}, {"content", "first"}}).status, 201u);
  EXPECT_EQ(call(c, verb::post, "/tweets", {{"username", "bob"}, {"content", "second"}}).status, 201u);
  EXPECT_EQ(call(c, verb::post, "/tweets", {{"username", "cy"}, {"content", "not followed"}}).status, 201u);

  const json timeline = json::parse(call(c, verb::get, "/timeline/ann?limit=10").body);
  ASSERT_EQ(timeline["tweets"].size(), 2u) << timeline.dump();
  EXPECT_EQ(timeline["tweets"][0]["content"], "second");
  EXPECT_EQ(timeline["tweets"][1]["username"], "bob");
  EXPECT_TRUE(json::parse(call(c, verb::get, "/timeline/bob").body)["tweets"].empty());

  // The background job (period 100 ms) fills in the follower counts.
  std::int64_t followers = -1;
  for (int i = 0; i < 100 && followers != 2; ++i) {
    followers = json::parse(call(c, verb::get, "/users/bob").body)["followers"].get<std::int64_t>();
    if (followers != 2) fibersql::this_fiber::sleep_for(50ms);
  }
  EXPECT_EQ(followers, 2);

  EXPECT_EQ(call(c, verb::get, "/users/nobody").status, 404u);
  EXPECT_EQ(call(c, verb::post, "/tweets", {{"username", "nobody"}, {"content", "x"}}).status, 404u);
  EXPECT_EQ(call(c, verb::post, "/tweets", {{"username", "ann"}, {"content", ""}}).status, 400u);
  EXPECT_EQ(call(c, verb::post, "/users", {{"name", "no username field"}}).status, 400u);
  EXPECT_EQ(call(c, verb::get, "/timeline/ann?limit=0").status, 400u);
  EXPECT_EQ(call(c, verb::get, "/users").status, 405u);
  EXPECT_EQ(call(c, verb::get, "/nowhere").status, 404u);
  EXPECT_EQ(c.send(verb::post, "/users", "{not json", fibersql::deadline_after(10s)).status, 400u);
  EXPECT_EQ(call(c, verb::post, "/users", {{"username", "has space"}}).status, 400u);
  const reply health = call(c, verb::get, "/healthz");
  EXPECT_EQ(health.status, 200u);
  EXPECT_EQ(health.body, "ok\n");

  const reply metrics = call(c, verb::get, "/metrics");
  ASSERT_EQ(metrics.status, 200u);
  EXPECT_TRUE(metrics.content_type.starts_with("text/plain; version=0.0.4"));
  for (const char* family :
       {"db_client_connection_count{db_client_connection_pool_name=\"tweepee\"", "fibersql_statements_total",
        "db_client_operation_duration_seconds_bucket", "fibersql_hub_latency_max_seconds", "fibersql_hub_ready_fibers"})
    EXPECT_NE(metrics.body.find(family), std::string::npos) << family << " not in /metrics:\n" << metrics.body;
  // The statements counter counts what we did (at least one statement per request above).
  const auto at = metrics.body.find("\nfibersql_statements_total{");
  ASSERT_NE(at, std::string::npos);
  const auto value = metrics.body.find(' ', metrics.body.find('}', at));
  EXPECT_GE(std::stod(metrics.body.substr(value + 1)), 20.0);
}

// Bytes that are not HTTP: a 400 whose body names Beast's complaint, then the server closes.
void check_malformed_request(const fibersql::net::endpoint& at) {
  fibersql::net::socket s = fibersql::net::connect(at, 5s);
  s.write_all("NOT HTTP AT ALL\r\n\r\n", fibersql::deadline_after(5s));
  std::string got;
  std::array<char, 4096> chunk{};
  while (const std::size_t n = s.read_some(chunk, fibersql::deadline_after(10s))) got.append(chunk.data(), n);
  EXPECT_TRUE(got.starts_with("HTTP/1.1 400 Bad Request\r\n")) << got;
  EXPECT_NE(got.find("bad HTTP request"), std::string::npos) << got;
  EXPECT_NE(got.find("Connection: close"), std::string::npos) << got;
}

// What each load client saw: whole responses, and how its connection ended.
struct client_tally {
  int complete = 0;
  int drained = 0;                    // last responses of a draining server (Connection: close)
  int closed_cleanly = 0;             // connection ended: drained, or closed/refused between responses
  std::vector<std::string> failures;  // torn replies, timeouts, unexpected statuses
};

// load_client: posts and reads timelines on one keep-alive connection until the server
// closes it (the shutdown), reconnecting never: a refused or closed connection ends it.
void load_client(const fibersql::net::endpoint& at, int id, client_tally& t) {
  try {
    http_client c(at, 5s);
    for (int i = 0;; ++i) {
      const reply r = (i % 2 == 0) ? call(c, verb::post, "/tweets",
                                          {{"username", "bob"}, {"content", "load " + std::to_string(id)}})
                                   : call(c, verb::get, "/timeline/ann?limit=5");
      if (r.status != 200 && r.status != 201)
        t.failures.push_back("status " + std::to_string(r.status) + ": " + r.body);
      ++t.complete;
      if (!r.keep_alive) {
        ++t.drained;  // the server said this was the last one (draining)
        ++t.closed_cleanly;
        return;
      }
    }
  } catch (const tweepee::service::truncated_response& e) {
    t.failures.push_back(e.what());
  } catch (const fibersql::net::net_error& e) {
    const int n = e.error_number();
    if (n == ENODATA || n == ECONNRESET || n == EPIPE || n == ECONNREFUSED)
      ++t.closed_cleanly;
    else
      t.failures.push_back(e.what());  // ETIMEDOUT: a hang
  }
}

void run_service_scenario(const std::string& url) {
  if (url.starts_with("mysql")) {
    fibersql::run([&] {  // a fresh schema: the tweets example leaves rows behind
      auto db = fibersql::pool::make_database(url, {.max_open = 1});
      tweepee::drop_schema(db);
      db.close();
      fibersql::pool::pool_of(db)->close();
    });
  }
  service_process service({TWEEPEE_SERVICE_BINARY, "--url", url, "--listen", "127.0.0.1:0", "--job-period-ms", "100",
                           "--drain-ms", "3000", "--max-open", "8"});
  const fibersql::net::endpoint at = endpoint_of(service.read_line(20s));

  fibersql::run([&] {
    check_api(at);
    check_malformed_request(at);
    if (::testing::Test::HasFatalFailure()) return;

    constexpr int clients = 64;
    std::vector<client_tally> tallies(clients);
    std::vector<fibersql::fiber> fibers;
    for (int i = 0; i < clients; ++i) fibers.push_back(fibersql::spawn([&, i] { load_client(at, i, tallies[i]); }));
    fibersql::this_fiber::sleep_for(500ms);  // the load is running: requests in flight
    service.signal(SIGTERM);
    for (auto& f : fibers) f.join();

    int complete = 0;
    int drained = 0;
    int closed = 0;
    for (const client_tally& t : tallies) {
      complete += t.complete;
      drained += t.drained;
      closed += t.closed_cleanly;
      for (const std::string& f : t.failures) ADD_FAILURE() << f;
    }
    std::cout << complete << " responses, " << drained << " of them the last of a draining connection; " << closed
              << " connections ended cleanly\n";
    EXPECT_GT(complete, clients);  // the load ran before the signal
    EXPECT_EQ(closed, clients);    // every client's connection ended cleanly
    const std::optional<int> status = service.wait_exit(15s);
    ASSERT_TRUE(status.has_value()) << "the service did not exit within 15 s of SIGTERM";
    EXPECT_EQ(*status, 0);
  });
  std::cout << "service said: " << service.read_line(1s) << "\n";

  if (url.starts_with("mysql")) {
    fibersql::run([] {
      fibersql::testing::admin a;
      std::size_t left = a.user_sessions();
      for (int i = 0; i < 50 && left != 0; ++i) {  // a closed session leaves the list shortly after
        fibersql::this_fiber::sleep_for(100ms);
        left = a.user_sessions();
      }
      EXPECT_EQ(left, 0u) << "server sessions left after the service exited";
    });
  }
}

TEST(ServiceEndToEnd, Sqlite) {
  run_service_scenario("sqlite::memory:");
}

TEST(ServiceEndToEnd, Mariadb) {
  FIBERSQL_REQUIRE_MYSQL();
  run_service_scenario(fibersql::testing::test_mysql_url());
}

}  // namespace
