// statemachine_baseline: the single-thread limit of Connector/C's non-blocking API. One thread,
// one level-triggered epoll set, N connections each stepped through a tiny state machine
// (send -> await the reply -> read it -> store result -> fetch -> next query) by
// `_start`/`_cont` calls, no fibers. The query is sent and read in two steps, as fibersql does,
// so that the first read finds the reply instead of failing with EAGAIN.
// What fibersql adds on top of this (switches, buffering rows into values) is its own cost.
#include <mysql.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <fibersql/mysql/options.hpp>

#include "bench_support.hpp"
#include "blocking_connect.hpp"

namespace fibersql::bench {
namespace {

constexpr const char* usage =
    "usage: statemachine_baseline --url mysql://user:pw@host:port/db [--concurrency N]\n"
    "            [--seconds T] [--workload point_select] [--table-size ROWS] [--quiet]\n";

struct conn_state {
  MYSQL* m = nullptr;
  int fd = -1;
  enum class phase { send, await_reply, read, store } at = phase::send;
  std::uint32_t registered = EPOLLIN;  // events the epoll set holds for fd
  MYSQL_RES* res = nullptr;
  int err = 0;
  my_bool read_failed = 0;
  steady::time_point started;
  id_source ids{1};
  char sql[64];
};

struct machine {
  load_flags flags;
  mysql::connect_options options;
  int epfd = -1;
  std::vector<std::unique_ptr<conn_state>> conns;
  bool counting = true;  // false once the window has closed
  latency_histogram latency;
  std::uint64_t queries = 0;
  std::uint64_t errors = 0;

  void open_all() {
    epfd = epoll_create1(EPOLL_CLOEXEC);
    for (unsigned i = 0; i < flags.concurrency; ++i) {
      auto c = std::make_unique<conn_state>();
      c->m = blocking_connect(options, true);
      c->fd = static_cast<int>(mysql_get_socket(c->m));
      c->ids = id_source(i + 1);
      epoll_event ev{};
      ev.events = c->registered;
      ev.data.ptr = c.get();
      if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev) != 0) throw std::runtime_error("epoll_ctl ADD failed");
      conns.push_back(std::move(c));
    }
  }

  // Points the epoll registration at what Connector/C waits for (only changes cost a call).
  void wait_for(conn_state& c, int status) {
    std::uint32_t want = 0;
    if (status & (MYSQL_WAIT_READ | MYSQL_WAIT_EXCEPT)) want |= EPOLLIN;
    if (status & MYSQL_WAIT_WRITE) want |= EPOLLOUT;
    if (want == 0) want = EPOLLIN;  // a bare timeout wait: no timeouts are set here
    if (want != c.registered) {
      epoll_event ev{};
      ev.events = want;
      ev.data.ptr = &c;
      epoll_ctl(epfd, EPOLL_CTL_MOD, c.fd, &ev);
      c.registered = want;
    }
  }

  // step: advances one connection as far as it goes without waiting. `ready` is the
  // MYSQL_WAIT_* mask of a wakeup, or -1 to start the next statement. A loop, not recursion:
  // when replies are already there, a connection runs statement after statement (as a fiber
  // would) without growing the stack.
  void step(conn_state& c, int ready) {
    for (;;) {
      int status = 0;
      if (ready < 0) {
        const int n =
            std::snprintf(c.sql, sizeof c.sql, "SELECT c FROM sbtest1 WHERE id=%u", c.ids.next(flags.table_size));
        c.at = conn_state::phase::send;
        c.started = steady::now();
        status = mysql_send_query_start(&c.err, c.m, c.sql, static_cast<unsigned long>(n));
      } else if (c.at == conn_state::phase::send) {
        status = mysql_send_query_cont(&c.err, c.m, ready);
      } else if (c.at == conn_state::phase::await_reply) {
        c.at = conn_state::phase::read;
        status = mysql_read_query_result_start(&c.read_failed, c.m);
      } else if (c.at == conn_state::phase::read) {
        status = mysql_read_query_result_cont(&c.read_failed, c.m, ready);
      } else {
        status = mysql_store_result_cont(&c.res, c.m, ready);
      }
      if (status == 0 && c.at == conn_state::phase::send) {
        if (c.err != 0) {
          failed(c);
          ready = -1;
          continue;
        }
        c.at = conn_state::phase::await_reply;
        return wait_for(c, MYSQL_WAIT_READ);
      }
      if (status == 0 && c.at == conn_state::phase::read) {
        if (c.read_failed != 0) {
          failed(c);
          ready = -1;
          continue;
        }
        c.at = conn_state::phase::store;
        status = mysql_store_result_start(&c.res, c.m);
      }
      if (status != 0) return wait_for(c, status);
      finish(c);
      ready = -1;
    }
  }

  // A statement's result is stored: read its rows (in memory, no IO) and count it.
  void finish(conn_state& c) {
    if (c.res == nullptr) return failed(c);
    int rows = 0;
    while (mysql_fetch_row(c.res) != nullptr) ++rows;
    mysql_free_result(c.res);
    c.res = nullptr;
    if (counting) {
      if (rows == 1) {
        latency.add(static_cast<std::uint64_t>((steady::now() - c.started).count()));
        ++queries;
      } else {
        ++errors;
      }
    }
  }

  void failed(conn_state& c) {
    if (counting) ++errors;
    if (errors < 5) std::fprintf(stderr, "\nstatemachine_baseline: %s\n", mysql_error(c.m));
  }

  void on_ready(conn_state& c, std::uint32_t events) {
    int ready = 0;
    if (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) ready |= MYSQL_WAIT_READ;
    if (events & EPOLLOUT) ready |= MYSQL_WAIT_WRITE;
    step(c, ready);
  }

  // The event loop for the window, then until every connection's statement has ended.
  run_report run() {
    run_report r;
    r.tool = "statemachine";
    r.flags = flags;
    std::vector<epoll_event> events(conns.size());
    const auto t0 = steady::now();
    const double cpu0 = process_cpu_us();
    for (auto& c : conns) step(*c, -1);
    const auto end = t0 + std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(flags.seconds));
    auto next_progress = t0 + std::chrono::seconds(1);
    std::uint64_t last_q = 0;
    auto last_t = t0;
    for (;;) {
      const int n = epoll_wait(epfd, events.data(), static_cast<int>(events.size()), 50);
      for (int i = 0; i < n; ++i) on_ready(*static_cast<conn_state*>(events[i].data.ptr), events[i].events);
      const auto now = steady::now();
      if (now >= end) break;
      if (now >= next_progress && !flags.quiet) {
        print_progress(std::chrono::duration<double>(now - t0).count(),
                       static_cast<double>(queries - last_q) / std::chrono::duration<double>(now - last_t).count(),
                       queries);
        last_q = queries;
        last_t = now;
        next_progress += std::chrono::seconds(1);
      }
    }
    counting = false;
    r.elapsed_s = std::chrono::duration<double>(steady::now() - t0).count();
    r.cpu_us = process_cpu_us() - cpu0;
    if (!flags.quiet) end_progress();
    r.latency = latency;
    r.queries = queries;
    r.errors = errors;
    return r;
  }

  // Every connection is mid-statement when the window closes; Connector/C's suspended
  // operations are not unwound, the sockets are just shut (the server sees EOF) and the
  // process exits.
  void close_all() {
    for (auto& c : conns) ::shutdown(c->fd, SHUT_RDWR);
  }
};

}  // namespace
}  // namespace fibersql::bench

int main(int argc, char** argv) {
  using namespace fibersql::bench;
  auto m = std::make_unique<machine>();
  try {
    m->flags = parse_flags(argc, argv, {"point_select"}, false);
    m->options = fibersql::mysql::parse_url(m->flags.url);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "statemachine_baseline: %s\n%s", e.what(), usage);
    return 2;
  }
  mysql_library_init(0, nullptr, nullptr);
  try {
    m->open_all();
    const run_report r = m->run();
    m->close_all();
    print_report(r);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "statemachine_baseline: %s\n", e.what());
    return 1;
  }
  return 0;
}
