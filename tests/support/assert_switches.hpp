#pragma once
// gevent's assert_switches: proves that a block of code gave the hub back at least once
// (for example, that a database call really waited on the loop instead of blocking it).
#include <cstdint>

#include <gtest/gtest.h>

#include <fibersql/runtime/hub.hpp>

namespace fibersql::testing {

// Runs `block` and returns how many times the hub switched into a fiber meanwhile.
template <class F>
std::uint64_t count_switches(F&& block) {
  const std::uint64_t before = hub::current().switch_count();
  block();
  return hub::current().switch_count() - before;
}

}  // namespace fibersql::testing

// Fails the test if `block` never yielded to the hub.
#define FIBERSQL_EXPECT_SWITCHES(block) \
  EXPECT_GT(::fibersql::testing::count_switches([&] { block; }), 0u) << "expected " #block " to yield to the hub"
// Fails the test if `block` yielded to the hub.
#define FIBERSQL_EXPECT_NO_SWITCHES(block) \
  EXPECT_EQ(::fibersql::testing::count_switches([&] { block; }), 0u) << "expected " #block " not to yield"
