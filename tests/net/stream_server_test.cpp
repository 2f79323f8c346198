// stream_server: echo under 1,000 concurrent connections, the connection bound, handler
// errors, stop with drain, and the graceful-shutdown recipe driven by SIGTERM.
#include <signal.h>
#include <unistd.h>

#include <optional>
#include <string>

#include "net_test.hpp"

namespace fibersql {
namespace {

using namespace std::chrono_literals;
using namespace fibersql::net;
using testing::loopback_listener;
class stream_server_test : public testing::net_test {};

void echo(net::socket& s) {
  char buf[512];
  while (const std::size_t n = s.read_some(buf)) s.write_all({buf, n});
}

std::string round_trip(net::socket& c, const std::string& text) {
  c.write_all(text);
  std::string back(text.size(), '\0');
  c.read(back, deadline_after(10s));
  return back;
}

TEST_F(stream_server_test, echo_under_1000_concurrent_connections) {
  constexpr int clients = 1000;
  run([&] {
    stream_server server(loopback_listener(), echo, {.max_connections = 2000});
    server.start();
    int connected = 0, echoed = 0;
    std::size_t most_active = 0;
    event all_connected;
    std::vector<fiber> fibers;
    for (int i = 0; i < clients; ++i) {
      fibers.push_back(spawn([&, i] {
        net::socket c = connect(server.local_endpoint(), 10s);
        c.write_all("hello");  // the server has certainly accepted once this comes back
        std::string hello(5, '\0');
        c.read(hello, deadline_after(10s));
        if (++connected == clients) all_connected.set();
        all_connected.wait();
        most_active = std::max(most_active, server.stats().active);
        const std::string text = "client " + std::to_string(i) + std::string(static_cast<std::size_t>(i % 300), 'x');
        if (round_trip(c, text) == text) ++echoed;
      }));
    }
    join_all(fibers);
    EXPECT_EQ(echoed, clients);
    EXPECT_EQ(most_active, static_cast<std::size_t>(clients)) << "all 1,000 were open at once";
    EXPECT_EQ(server.stop(1s), 0u);
    EXPECT_EQ(server.stats().accepted, static_cast<std::uint64_t>(clients));
  });
}

TEST_F(stream_server_test, the_connection_bound_holds) {
  run([] {
    std::size_t running = 0, most = 0;
    stream_server server(loopback_listener(),
                         [&](net::socket& s) {
                           most = std::max(most, ++running);
                           this_fiber::sleep_for(20ms);
                           --running;
                           s.write_all("ok");
                         },
                         {.max_connections = 2});
    server.start();
    int served = 0;
    std::vector<fiber> fibers;
    for (int i = 0; i < 6; ++i) {
      fibers.push_back(spawn([&] {
        net::socket c = connect(server.local_endpoint(), 5s);
        std::string ok(2, '\0');
        c.read(ok, deadline_after(5s));
        served += ok == "ok";
      }));
    }
    join_all(fibers);
    EXPECT_EQ(served, 6);
    EXPECT_EQ(most, 2u);
    server.stop();
  });
}

TEST_F(stream_server_test, a_failing_handler_is_reported_and_the_server_goes_on) {
  run([] {
    std::vector<std::string> errors;
    stream_server server(loopback_listener(), [](net::socket&) { throw std::runtime_error("handler broke"); },
                         {.on_handler_error = [&](const std::exception& e) { errors.push_back(e.what()); }});
    server.start();
    for (int i = 0; i < 2; ++i) {
      net::socket c = connect(server.local_endpoint(), 1s);
      char b;
      EXPECT_EQ(c.read_some({&b, 1}, deadline_after(5s)), 0u) << "the socket closes after the handler";
    }
    EXPECT_EQ(server.stats().handler_errors, 2u);
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_EQ(errors[0], "handler broke");
    server.stop();
  });
}

TEST_F(stream_server_test, stop_drains_with_a_deadline_then_kills_and_refuses_new_connections) {
  run([] {
    bool slow_finished = false;
    stream_server server(loopback_listener(), [&](net::socket& s) {
      char b;
      if (s.read_some({&b, 1}) == 0) return;
      if (b == 's') {  // slow but finite: the drain waits for it
        this_fiber::sleep_for(30ms);
        s.write_all("done");
        slow_finished = true;
      } else {  // stuck: waits for bytes that never come
        s.read_some({&b, 1});
      }
    });
    server.start();
    net::socket slow = connect(server.local_endpoint(), 1s);
    net::socket stuck = connect(server.local_endpoint(), 1s);
    slow.write_all("s");
    stuck.write_all("x");
    while (server.stats().active < 2) this_fiber::sleep_for(1ms);
    const endpoint where = server.local_endpoint();
    const auto started = clock::now();
    EXPECT_EQ(server.stop(200ms), 1u) << "the stuck handler is killed after the drain";
    const auto took = clock::now() - started;
    EXPECT_GE(took, 200ms);
    EXPECT_LT(took, 2s);
    EXPECT_TRUE(slow_finished);
    EXPECT_EQ(server.stats().active, 0u);
    EXPECT_EQ(server.stats().killed_on_stop, 1u);
    std::string done(4, '\0');
    slow.read(done, deadline_after(1s));
    EXPECT_EQ(done, "done");
    char b;
    EXPECT_EQ(stuck.read_some({&b, 1}, deadline_after(1s)), 0u) << "the killed handler's socket closed";
    EXPECT_THROW(connect(where, 1s), net_error) << "nothing listens any more";
    EXPECT_EQ(server.stop(), 0u) << "stop is idempotent";
  });
}

TEST_F(stream_server_test, misuse_is_named_and_a_server_may_outlive_its_hub) {
  std::optional<stream_server> outliving;
  run([&] {
    bool refused = false;
    stream_server server(loopback_listener(), [&](net::socket&) {
      try {
        server.stop();
      } catch (const misuse_error&) {
        refused = true;
      }
    });
    server.start();
    EXPECT_THROW(server.start(), misuse_error);
    net::socket c = connect(server.local_endpoint(), 1s);
    char b;
    EXPECT_EQ(c.read_some({&b, 1}, deadline_after(5s)), 0u);
    EXPECT_TRUE(refused) << "a handler cannot stop its own server";
    server.stop();
    EXPECT_THROW(server.start(), misuse_error) << "a stopped server does not restart";

    outliving.emplace(loopback_listener(), echo);
    outliving->start();
    net::socket held = connect(outliving->local_endpoint(), 1s);
    EXPECT_EQ(round_trip(held, "hi"), "hi");
  });  // the hub's shutdown kills the acceptor and the handler; the server is destroyed later
  outliving.reset();
}

// The recipe of README "Graceful shutdown": a fiber waits for SIGTERM/SIGINT, stops the
// server with a drain deadline; serve_forever() returns, then run() returns.
TEST_F(stream_server_test, sigterm_drains_in_flight_requests_and_run_returns) {
  int answered = 0;
  run([&] {
    signal_set signals({SIGTERM, SIGINT});  // before the first request: no SIGTERM is lost
    stream_server server(loopback_listener(), [](net::socket& s) {
      char b;
      while (s.read_some({&b, 1}) == 1) {
        this_fiber::sleep_for(20ms);  // a request in flight when SIGTERM comes
        s.write_all("y");
      }
    });
    auto stopper = spawn([&] {
      signals.wait();
      server.stop(2s);
    });
    auto serving = spawn([&] { server.serve_forever(); });
    std::vector<fiber> clients;
    for (int i = 0; i < 10; ++i) {
      clients.push_back(spawn([&] {
        net::socket c = connect(server.local_endpoint(), 1s);
        c.write_all("q");
        char b;
        c.read({&b, 1}, deadline_after(5s));
        ++answered;
      }));
    }
    while (server.stats().accepted < 10) this_fiber::sleep_for(1ms);
    ::kill(::getpid(), SIGTERM);
    join_all(clients);
    stopper.join();
    serving.join();
    EXPECT_EQ(server.stats().active, 0u);
    EXPECT_EQ(server.stats().killed_on_stop, 0u) << "every in-flight handler finished within the drain";
  });
  EXPECT_EQ(answered, 10) << "every request in flight got its answer";
}

}  // namespace
}  // namespace fibersql
