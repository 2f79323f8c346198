#pragma once
// Shared fixture: every runtime test runs in a fresh hub; TearDown proves nothing outlived it.
#include <gtest/gtest.h>

#include <fibersql/runtime/runtime.hpp>

namespace fibersql::testing {

class runtime_test : public ::testing::Test {
 protected:
  void TearDown() override {
    EXPECT_EQ(hub::current_or_null(), nullptr) << "a hub outlived the test";
  }
};

}  // namespace fibersql::testing
