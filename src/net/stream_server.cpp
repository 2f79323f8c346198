#include <fibersql/net/stream_server.hpp>

#include <cerrno>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <vector>

#include <fibersql/net/errors.hpp>
#include <fibersql/runtime/errors.hpp>
#include <fibersql/runtime/kill_shield.hpp>
#include <fibersql/runtime/this_fiber.hpp>

namespace fibersql::net {

namespace {

// One accepted connection: its socket and its claim on a server slot. It lives in the
// handler fiber's closure, which the runtime destroys when the fiber ends however it ends
// (even killed before its first run), so the slot is always given back.
struct connection_slot {
  socket sock;
  std::function<void()> on_done;
  ~connection_slot() {
    sock.close();
    if (on_done) on_done();
  }
};

// Runs `done` when the last copy goes: the fiber's closure, destroyed when the fiber ends.
struct on_fiber_end {
  std::function<void()> done;
  ~on_fiber_end() {
    if (done) done();
  }
};

}  // namespace

stream_server::stream_server(listener where, handler h, server_options options)
    : listener_(std::move(where)),
      local_(listener_.local_endpoint()),
      handler_(std::move(h)),
      options_(std::move(options)),
      slots_(options_.max_connections) {
  if (options_.max_connections == 0) throw std::invalid_argument("stream_server: max_connections 0 (expected >= 1)");
  if (!options_.on_handler_error) {
    options_.on_handler_error = [name = options_.name](const std::exception& e) {
      std::fprintf(stderr, "fibersql: %s: a connection handler failed: %s\n", name.c_str(), e.what());
    };
  }
  idle_.set();
}

stream_server::~stream_server() {
  if (!started_ || stopped_.is_set()) return;
  // The hub's shutdown may have ended every fiber already (a server that outlived run()).
  if (!acceptor_ && handlers_.empty()) return;
  if (!this_fiber::in_fiber()) return;  // cannot wait here; the hub's shutdown kills them
  // Kills are held back so the joins below cannot be cut short by a kill of this fiber.
  kill_shield shield;
  stopping_ = true;
  const fiber acceptor = acceptor_;  // a copy: the fiber clears acceptor_ as it ends
  if (acceptor) acceptor.kill();
  std::vector<fiber> left;
  for (auto& [id, f] : handlers_) left.push_back(f);
  for (const fiber& f : left) f.kill();
  try {
    if (acceptor) acceptor.join();
    for (const fiber& f : left) f.join();
  } catch (...) {  // a timeout scope of the destroying fiber: nothing more can be done
  }
}

void stream_server::start() {
  if (started_) throw misuse_error("stream_server::start: already started");
  if (stopping_) throw misuse_error("stream_server::start: the server was stopped");
  started_ = true;
  // The fiber drops the server's handle to it when it ends, so no handle outlives a hub whose
  // shutdown killed the fiber (releasing one after its hub is gone is not safe).
  auto reset = std::make_shared<on_fiber_end>();
  reset->done = [this] { acceptor_ = fiber(); };
  acceptor_ = spawn([this, reset] { accept_loop(); }, {.name = options_.name + "-accept"});
}

void stream_server::serve_forever() {
  if (!started_) start();
  stopped_.wait();
}

void stream_server::accept_loop() {
  for (;;) {
    slots_.acquire();
    socket s;
    try {
      s = listener_.accept();
    } catch (const net_error&) {
      slots_.release();
      ++stats_.accept_errors;
      if (!listener_.is_open()) return;
      // Out of descriptors or memory (EMFILE, ENFILE, ENOBUFS...): back off instead of
      // spinning; the backlog holds the waiting connections meanwhile.
      this_fiber::sleep_for(std::chrono::milliseconds(10));
      continue;
    } catch (...) {
      slots_.release();
      throw;
    }
    spawn_handler(std::move(s));
  }
}

void stream_server::spawn_handler(socket s) {
  ++stats_.accepted;
  ++stats_.active;
  idle_.clear();
  auto slot = std::make_shared<connection_slot>();
  slot->sock = std::move(s);
  fiber f = spawn(
      [this, slot] {
        try {
          handler_(slot->sock);
        } catch (const std::exception& e) {
          ++stats_.handler_errors;
          options_.on_handler_error(e);
        }
      },
      {.name = options_.name + "-conn", .stack_size = options_.handler_stack_size});
  const std::uint64_t id = f.id();
  handlers_.emplace(id, std::move(f));
  slot->on_done = [this, id] {
    handlers_.erase(id);
    slots_.release();
    if (--stats_.active == 0) idle_.set();
  };
}

std::size_t stream_server::stop(clock::duration drain) {
  if (handlers_.contains(this_fiber::id())) {
    throw misuse_error(
        "stream_server::stop: called from one of its own handlers (it would kill itself); "
        "spawn a fiber to stop the server");
  }
  if (stopping_) {
    stopped_.wait();
    return 0;
  }
  stopping_ = true;
  if (const fiber acceptor = acceptor_) {  // a copy: the fiber clears acceptor_ as it ends
    acceptor.kill();
    acceptor.join();
  }
  listener_.close();  // after the acceptor is gone: it waited on this descriptor
  idle_.wait(drain);
  std::vector<fiber> left;
  for (auto& [id, f] : handlers_) left.push_back(f);
  for (const fiber& f : left) f.kill();
  for (const fiber& f : left) f.join();
  stats_.killed_on_stop += left.size();
  stopped_.set();
  return left.size();
}

server_stats stream_server::stats() const noexcept {
  return stats_;
}

}  // namespace fibersql::net
