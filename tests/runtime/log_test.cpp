// The library's own messages go to one sink (set_log_sink), filtered by level; default stderr.
#include <fibersql/runtime/log.hpp>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "runtime_test.hpp"

namespace fibersql {
namespace {

using testing::runtime_test;

struct captured {
  std::vector<std::pair<log_level, std::string>> lines;
};

class log_test : public runtime_test {
 protected:
  void SetUp() override {
    set_log_sink([this](log_level level, std::string_view text) { got.lines.emplace_back(level, text); },
                 log_level::debug);
  }
  void TearDown() override {
    set_log_sink({});  // back to stderr for the other tests
    runtime_test::TearDown();
  }
  captured got;
};

TEST_F(log_test, a_failed_fiber_nobody_joined_is_reported_to_the_sink_as_an_error) {
  run([] {
    spawn([] { throw std::runtime_error("disk on fire"); }, {.name = "orphan"});
    this_fiber::yield();
    this_fiber::yield();
  });
  ASSERT_EQ(got.lines.size(), 1u);
  EXPECT_EQ(got.lines[0].first, log_level::error);
  EXPECT_NE(got.lines[0].second.find("'orphan' failed and nobody joined it: disk on fire"), std::string::npos)
      << got.lines[0].second;
}

TEST_F(log_test, messages_below_the_minimum_level_are_dropped) {
  set_log_sink([this](log_level level, std::string_view text) { got.lines.emplace_back(level, text); },
               log_level::error);
  detail::log_message(log_level::warning, "not shown");
  detail::log_message(log_level::error, "shown");
  ASSERT_EQ(got.lines.size(), 1u);
  EXPECT_EQ(got.lines[0].second, "shown");
  EXPECT_STREQ(to_string(log_level::warning), "warning");
}

TEST_F(log_test, a_throwing_sink_is_contained) {
  set_log_sink([](log_level, std::string_view) { throw std::runtime_error("sink broke"); });
  EXPECT_NO_THROW(detail::log_message(log_level::error, "x"));
}

}  // namespace
}  // namespace fibersql
