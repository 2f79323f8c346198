// native_loop: a watcher registered with libev directly, on the hub's own loop, fires while
// the hub runs fibers and can wake a fiber through a runtime primitive.
#include <ev.h>
#include <unistd.h>

#include <atomic>
#include <chrono>

#include <fibersql/runtime/native_loop.hpp>

#include "runtime_test.hpp"

namespace fibersql {
namespace {

using namespace std::chrono_literals;
using testing::socket_pair_test;
class native_loop_test : public socket_pair_test {};

struct readable_watch {
  ev_io io;
  event* ready = nullptr;
  int fires = 0;
};

void on_readable(struct ev_loop* loop, ev_io* w, int /*revents*/) {
  auto* watch = static_cast<readable_watch*>(w->data);
  ++watch->fires;
  ev_io_stop(loop, w);
  watch->ready->set();
}

TEST_F(native_loop_test, a_foreign_watcher_on_the_hub_loop_wakes_a_fiber) {
  run([&] {
    struct ev_loop* loop = native_loop(hub::current());
    ASSERT_NE(loop, nullptr);
    EXPECT_EQ(native_loop(hub::current()), loop);

    event ready;
    readable_watch watch{.io = {}, .ready = &ready};
    ev_io_init(&watch.io, on_readable, fds_[0], EV_READ);
    watch.io.data = &watch;
    ev_io_start(loop, &watch.io);

    fiber writer = spawn([&] {
      this_fiber::sleep_for(5ms);
      ASSERT_EQ(::write(fds_[1], "x", 1), 1);
    });
    EXPECT_TRUE(ready.wait(5s)) << "the watcher registered through native_loop never fired";
    EXPECT_EQ(watch.fires, 1);
    writer.join();
    ev_io_stop(loop, &watch.io);
  });
}

TEST_F(native_loop_test, each_hub_has_its_own_loop) {
  run([&] {
    struct ev_loop* mine = native_loop(hub::current());
    std::atomic<struct ev_loop*> other{nullptr};
    hub_thread worker;
    worker.get().post([&] { other = native_loop(hub::current()); });
    // The post runs on the worker's thread; poll without blocking this hub.
    for (int i = 0; i < 5000 && other == nullptr; ++i) this_fiber::sleep_for(1ms);
    ASSERT_NE(other.load(), nullptr);
    EXPECT_NE(other.load(), mine);
  });
}

}  // namespace
}  // namespace fibersql
