// channel<T>: bounded, FIFO, closable.
#include <memory>
#include <string>
#include <vector>

#include "runtime_test.hpp"

namespace fibersql {
namespace {

using namespace std::chrono_literals;
using testing::runtime_test;
class channel_test : public runtime_test {};

TEST_F(channel_test, values_arrive_in_order_and_senders_block_when_full) {
  run([] {
    channel<int> c(2);
    std::vector<int> got;
    int sent = 0;
    auto producer = spawn([&] {
      for (int i = 0; i < 10; ++i) {
        c.send(i);
        ++sent;
      }
      c.close();
    });
    this_fiber::yield();
    EXPECT_EQ(sent, 2) << "capacity 2 must block the third send";
    while (auto v = c.receive()) got.push_back(*v);
    producer.join();
    EXPECT_EQ(got, (std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  });
}

TEST_F(channel_test, close_drains_then_ends_receivers_and_refuses_senders) {
  run([] {
    channel<std::string> c(4);
    c.send("a");
    c.close();
    EXPECT_THROW(c.send("b"), channel_closed);
    EXPECT_EQ(c.receive(), "a");
    EXPECT_EQ(c.receive(), std::nullopt);
  });
}

TEST_F(channel_test, blocked_sender_is_released_by_close) {
  run([] {
    channel<int> c(1);
    c.send(1);
    auto sender = spawn([&] { EXPECT_THROW(c.send(2), channel_closed); });
    this_fiber::yield();
    c.close();
    sender.join();
  });
}

TEST_F(channel_test, receive_times_out) {
  run([] {
    channel<int> c(1);
    EXPECT_EQ(c.receive(5ms), std::nullopt);
    EXPECT_FALSE(c.closed());
  });
}

TEST_F(channel_test, move_only_values) {
  run([] {
    channel<std::unique_ptr<int>> c(1);
    c.send(std::make_unique<int>(5));
    EXPECT_EQ(**c.receive(), 5);
  });
}

TEST_F(channel_test, zero_capacity_is_refused) {
  EXPECT_THROW(channel<int>(0), std::invalid_argument);
}

}  // namespace
}  // namespace fibersql
