// fiber_local<T>: per-fiber values; destructors run in the dying fiber on every way it ends.
#include <stdexcept>
#include <string>
#include <vector>

#include "runtime_test.hpp"

namespace fibersql {
namespace {

using namespace std::chrono_literals;
using testing::runtime_test;
class fiber_local_test : public runtime_test {};

// Records which fiber ran its destructor, and proves the destructor may still wait.
struct resource {
  std::vector<std::string>* log = nullptr;
  std::uint64_t owner = 0;
  ~resource() {
    if (!log) return;
    this_fiber::sleep_for(1ms);  // async cleanup, as a connection close would do
    log->push_back(this_fiber::id() == owner ? "closed in own fiber" : "closed elsewhere");
  }
};

fiber_local<resource> slot;

void acquire(std::vector<std::string>& log) {
  resource& r = slot.get();
  r.log = &log;
  r.owner = this_fiber::id();
}

TEST_F(fiber_local_test, each_fiber_sees_its_own_value) {
  run([] {
    fiber_local<int> n;
    n.get() = 1;
    auto other = spawn([&] {
      EXPECT_EQ(n.get_if(), nullptr);
      n.get() = 2;
      this_fiber::yield();
      EXPECT_EQ(n.get(), 2);
    });
    this_fiber::yield();
    EXPECT_EQ(n.get(), 1);
    other.join();
  });
}

TEST_F(fiber_local_test, destructor_runs_on_return) {
  std::vector<std::string> log;
  run([&] { spawn([&] { acquire(log); }).join(); });
  EXPECT_EQ(log, std::vector<std::string>{"closed in own fiber"});
}

TEST_F(fiber_local_test, destructor_runs_on_exception) {
  std::vector<std::string> log;
  run([&] {
    auto f = spawn([&] {
      acquire(log);
      throw std::runtime_error("x");
    });
    EXPECT_THROW(f.join(), std::runtime_error);
  });
  EXPECT_EQ(log, std::vector<std::string>{"closed in own fiber"});
}

TEST_F(fiber_local_test, destructor_runs_on_kill_even_though_it_waits) {
  std::vector<std::string> log;
  run([&] {
    auto f = spawn([&] {
      acquire(log);
      this_fiber::sleep_for(1h);
    });
    this_fiber::yield();
    f.kill();
    f.join();
  });
  EXPECT_EQ(log, std::vector<std::string>{"closed in own fiber"});
}

TEST_F(fiber_local_test, destructor_runs_on_hub_shutdown) {
  std::vector<std::string> log;
  run([&] {
    for (int i = 0; i < 3; ++i)
      spawn([&] {
        acquire(log);
        this_fiber::sleep_for(1h);
      });
    this_fiber::yield();
  });
  EXPECT_EQ(log, std::vector<std::string>(3, "closed in own fiber"));
}

TEST_F(fiber_local_test, reset_destroys_now) {
  std::vector<std::string> log;
  run([&] {
    acquire(log);
    slot.reset();
    EXPECT_EQ(log.size(), 1u);
    EXPECT_EQ(slot.get_if(), nullptr);
  });
  EXPECT_EQ(log.size(), 1u);
}

TEST_F(fiber_local_test, outside_a_fiber_is_a_clear_error) {
  fiber_local<int> n;
  EXPECT_THROW(n.get(), misuse_error);
}

}  // namespace
}  // namespace fibersql
