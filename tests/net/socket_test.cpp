// Sockets: echo over TCP and unix paths, peer reset, half-close, deadlines, kill mid-read,
// connect failures; every descriptor close-on-exec and none left behind.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "net_test.hpp"

namespace fibersql {
namespace {

using namespace std::chrono_literals;
using namespace fibersql::net;
using testing::close_on_exec;
using testing::loopback_listener;
class socket_test : public testing::net_test {};

std::string read_n(net::socket& s, std::size_t n) {
  std::string out(n, '\0');
  s.read(out);
  return out;
}

void echo_once(listener& l) {
  net::socket peer = l.accept();
  char buf[256];
  while (const std::size_t n = peer.read_some(buf)) peer.write_all({buf, n});
}

TEST_F(socket_test, echo_over_tcp_with_close_on_exec_descriptors) {
  run([] {
    listener l = loopback_listener();
    EXPECT_NE(l.local_endpoint().port(), 0);
    EXPECT_TRUE(close_on_exec(l.native_handle()));
    auto server = spawn([&] { echo_once(l); });
    net::socket c = connect(l.local_endpoint(), 1s);
    EXPECT_TRUE(close_on_exec(c.native_handle()));
    c.set_no_delay();
    c.write_all("hello, fibers");
    EXPECT_EQ(read_n(c, 13), "hello, fibers");
    EXPECT_EQ(c.remote_endpoint().to_string(), l.local_endpoint().to_string());
    c.shutdown();
    char b;
    EXPECT_EQ(c.read_some({&b, 1}), 0u) << "the echo side closed after our half-close";
    server.join();
  });
}

TEST_F(socket_test, accepted_sockets_are_close_on_exec) {
  run([] {
    listener l = loopback_listener();
    auto client = spawn([&] { connect(l.local_endpoint(), 1s); });
    net::socket s = l.accept(deadline_after(1s));
    EXPECT_TRUE(close_on_exec(s.native_handle()));
    client.join();
  });
}

TEST_F(socket_test, echo_over_a_unix_socket_and_the_path_is_removed) {
  const std::string path = "/tmp/fibersql-net-test-" + std::to_string(::getpid()) + ".sock";
  run([&] {
    listener l = listener::listen(endpoint::unix_path(path));
    EXPECT_EQ(::access(path.c_str(), F_OK), 0);
    auto server = spawn([&] { echo_once(l); });
    net::socket c = connect(endpoint::unix_path(path), 1s);
    c.write_all("over unix");
    EXPECT_EQ(read_n(c, 9), "over unix");
    c.close();
    server.join();
    l.close();
  });
  EXPECT_NE(::access(path.c_str(), F_OK), 0) << "the listener unlinks the path it bound";
}

TEST_F(socket_test, peer_reset_is_econnreset) {
  run([] {
    listener l = loopback_listener();
    event connected;
    auto server = spawn([&] {
      net::socket s = l.accept();
      connected.wait();
      const linger hard{1, 0};  // close with RST instead of FIN
      ::setsockopt(s.native_handle(), SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    });
    net::socket c = connect(l.local_endpoint(), 1s);
    connected.set();
    server.join();
    char buf[16];
    try {
      c.read_some(buf, deadline_after(2s));
      ADD_FAILURE() << "read after a reset returned";
    } catch (const net_error& e) {
      EXPECT_EQ(e.error_number(), ECONNRESET) << e.what();
      EXPECT_NE(std::string(e.what()).find("127.0.0.1"), std::string::npos) << e.what();
    }
  });
}

TEST_F(socket_test, half_close_lets_the_peer_answer_after_our_end_of_stream) {
  run([] {
    listener l = loopback_listener();
    auto server = spawn([&] {
      net::socket s = l.accept();
      std::string got;
      char buf[64];
      while (const std::size_t n = s.read_some(buf)) got.append(buf, n);
      s.write_all("got " + got);  // our write side is still open
    });
    net::socket c = connect(l.local_endpoint(), 1s);
    c.write_all("abc");
    c.shutdown(shutdown_type::write);
    EXPECT_EQ(read_n(c, 7), "got abc");
    char b;
    EXPECT_THROW(c.read({&b, 1}), end_of_stream);
    server.join();
  });
}

TEST_F(socket_test, read_deadline_and_timeout_scope) {
  run([] {
    listener l = loopback_listener();
    net::socket c = connect(l.local_endpoint(), 1s);  // the backlog takes it; nobody accepts
    char buf[8];
    const auto started = clock::now();
    try {
      c.read_some(buf, deadline_after(30ms));
      ADD_FAILURE() << "read returned";
    } catch (const net_error& e) {
      EXPECT_EQ(e.error_number(), ETIMEDOUT);
    }
    EXPECT_GE(clock::now() - started, 30ms);
    timeout t(20ms);
    try {
      c.read_some(buf);
      ADD_FAILURE() << "read returned";
    } catch (const timeout_error& e) {
      EXPECT_TRUE(t.owns(e));
    }
  });
}

TEST_F(socket_test, kill_mid_read_leaves_no_descriptor) {
  const std::size_t before = testing::open_fds();
  run([&] {
    listener l = loopback_listener();
    auto reader = spawn([&] {
      net::socket c = connect(l.local_endpoint(), 1s);
      char buf[8];
      c.read_some(buf);
      ADD_FAILURE() << "read returned";
    });
    net::socket s = l.accept(deadline_after(1s));
    this_fiber::sleep_for(5ms);
    EXPECT_EQ(testing::open_fds(), before + 5) << "epoll + eventfd of the hub, listener, both ends";
    reader.kill();
    reader.join();
    EXPECT_TRUE(reader.killed());
    EXPECT_EQ(testing::open_fds(), before + 4) << "the killed reader's socket is closed";
    char b;
    EXPECT_EQ(s.read_some({&b, 1}, deadline_after(1s)), 0u) << "the peer sees the close";
  });
  EXPECT_EQ(testing::open_fds(), before);
}

TEST_F(socket_test, connect_to_a_closed_port_is_refused) {
  run([] {
    endpoint closed;
    {
      listener l = loopback_listener();
      closed = l.local_endpoint();
    }
    try {
      connect(closed, 1s);
      ADD_FAILURE() << "connected to a closed port";
    } catch (const net_error& e) {
      EXPECT_EQ(e.error_number(), ECONNREFUSED);
      EXPECT_NE(std::string(e.what()).find(closed.to_string()), std::string::npos) << e.what();
    }
  });
}

TEST_F(socket_test, connect_to_a_listener_that_never_accepts_honours_the_deadline) {
  run([] {
    listener l = loopback_listener({.backlog = 0});
    std::vector<net::socket> queued;  // fill the accept queue; later SYNs are dropped
    for (int i = 0; i < 16; ++i) {
      const auto started = clock::now();
      try {
        queued.push_back(connect(l.local_endpoint(), 100ms));
      } catch (const net_error& e) {
        EXPECT_EQ(e.error_number(), ETIMEDOUT) << e.what();
        const auto took = clock::now() - started;
        EXPECT_GE(took, 100ms);
        EXPECT_LT(took, 1s);
        EXPECT_GE(queued.size(), 1u);
        return;
      }
    }
    ADD_FAILURE() << "16 connections to a backlog-0 listener that never accepts all succeeded";
  });
}

TEST_F(socket_test, connect_by_name_resolves_on_the_worker_pool) {
  run([] {
    listener l = loopback_listener();
    const std::uint64_t before = thread_pool::shared().stats().started;
    auto server = spawn([&] { echo_once(l); });
    net::socket c = connect("localhost", l.local_endpoint().port(), 1s);
    EXPECT_GT(thread_pool::shared().stats().started, before);
    c.write_all("x");
    EXPECT_EQ(read_n(c, 1), "x");
    c.close();
    server.join();
  });
}

TEST_F(socket_test, unknown_host_is_a_resolve_error_naming_it) {
  run([] {
    try {
      connect("no-such-host.invalid", 80, 5s);
      ADD_FAILURE() << "resolved an .invalid name";
    } catch (const resolve_error& e) {
      EXPECT_NE(std::string(e.what()).find("no-such-host.invalid"), std::string::npos) << e.what();
    }
  });
}

TEST_F(socket_test, reuse_port_lets_two_listeners_share_a_port) {
  run([] {
    listener a = loopback_listener({.reuse_port = true});
    const endpoint where = a.local_endpoint();
    listener b = listener::listen(where, {.reuse_port = true});
    EXPECT_EQ(b.local_endpoint().port(), where.port());
    try {
      listener::listen(where);
      ADD_FAILURE() << "a third listener without SO_REUSEPORT bound the port";
    } catch (const net_error& e) {
      EXPECT_EQ(e.error_number(), EADDRINUSE);
      EXPECT_NE(std::string(e.what()).find(where.to_string()), std::string::npos) << e.what();
    }
    // The kernel spreads connections over both (by a hash of the 4-tuple); each accepts some.
    std::vector<net::socket> clients;
    for (int i = 0; i < 32; ++i) clients.push_back(connect(where, 1s));
    int accepted = 0;
    auto take = [&](listener& l, int& mine) {
      while (accepted < 32) {
        try {
          l.accept(deadline_after(100ms));
          ++mine;
          ++accepted;
        } catch (const net_error& e) {
          EXPECT_EQ(e.error_number(), ETIMEDOUT);
        }
      }
    };
    int by_a = 0, by_b = 0;
    auto fa = spawn([&] { take(a, by_a); });
    auto fb = spawn([&] { take(b, by_b); });
    fa.join();
    fb.join();
    EXPECT_EQ(accepted, 32);
    EXPECT_GT(by_a, 0);
    EXPECT_GT(by_b, 0);
  });
}

TEST_F(socket_test, write_deadline_when_the_peer_does_not_read) {
  run([] {
    listener l = loopback_listener();
    net::socket c = connect(l.local_endpoint(), 1s);
    net::socket s = l.accept(deadline_after(1s));  // never reads
    const std::string chunk(1 << 20, 'x');
    const auto started = clock::now();
    try {
      for (int i = 0; i < 64; ++i) c.write_all(chunk, deadline_after(50ms));
      ADD_FAILURE() << "64 MiB went into a peer that never reads";
    } catch (const net_error& e) {
      EXPECT_EQ(e.error_number(), ETIMEDOUT) << e.what();
    }
    EXPECT_LT(clock::now() - started, 5s);
  });
}

TEST_F(socket_test, bad_endpoints_are_named) {
  EXPECT_THROW(endpoint::ip("localhost", 1), std::invalid_argument);
  EXPECT_THROW(endpoint::unix_path(std::string(200, 'x')), std::invalid_argument);
  EXPECT_EQ(endpoint::ip("::1", 80).to_string(), "[::1]:80");
}

}  // namespace
}  // namespace fibersql
