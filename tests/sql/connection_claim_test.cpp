// detail::connection_claim and detail::run_guarded, the backend-neutral rules of a connection
// (one fiber at a time, a stream keeps its fiber's claim, broken for good after an interrupted
// exchange), on real fibers of a real hub.
#include <fibersql/sql/detail/connection_claim.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include <fibersql/runtime/fiber.hpp>
#include <fibersql/runtime/hub.hpp>
#include <fibersql/runtime/this_fiber.hpp>
#include <fibersql/sql/errors.hpp>

namespace fibersql::detail {
namespace {

using namespace std::chrono_literals;

claimant me() {
  return {this_fiber::id(), this_fiber::name()};
}

std::string fiber_text(const fiber& f, const char* name) {
  return "fiber " + std::to_string(f.id()) + " '" + name + "'";
}

bool mentions(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(connection_claim, a_second_fiber_is_refused_with_both_fibers_named_until_the_first_releases) {
  fibersql::run([] {
    connection_claim claim("Test");
    std::string refusal;
    fiber a = spawn(
        [&] {
          claim.acquire("query", me(), true);
          this_fiber::sleep_for(50ms);
          claim.release();
        },
        {.name = "holder"});
    fiber b = spawn(
        [&] {
          this_fiber::sleep_for(10ms);
          try {
            claim.acquire("ping", me(), true);
            ADD_FAILURE() << "a second fiber got the claim";
          } catch (const concurrent_use_error& e) {
            refusal = e.what();
          }
          a.join();
          claim.acquire("ping", me(), true);  // free again
          EXPECT_TRUE(claim.held());
          claim.release();
        },
        {.name = "intruder"});
    b.join();
    EXPECT_TRUE(mentions(refusal, "concurrent use of one Test connection")) << refusal;
    EXPECT_TRUE(mentions(refusal, fiber_text(a, "holder") + " is running query")) << refusal;
    EXPECT_TRUE(mentions(refusal, fiber_text(b, "intruder") + " called ping")) << refusal;
    EXPECT_FALSE(claim.held());
  });
}

TEST(connection_claim, a_reentrant_call_of_the_same_caller_is_refused) {
  connection_claim claim("Test");
  claim.acquire("query", me(), true);  // outside any fiber: fiber id 0
  try {
    claim.acquire("query", me(), true);
    ADD_FAILURE() << "a re-entrant call got the claim";
  } catch (const concurrent_use_error& e) {
    EXPECT_TRUE(mentions(e.what(), "code outside any fiber is running query")) << e.what();
  }
  claim.release();
  EXPECT_NO_THROW(claim.acquire("query", me(), true));
  claim.release();
}

TEST(connection_claim, an_open_stream_keeps_the_claim_for_its_fiber) {
  fibersql::run([] {
    connection_claim claim("Test");
    claim.acquire("stream", me(), true);
    claim.hold_for_stream();
    claim.release();  // the operation that opened the stream ends; the stream keeps the claim
    EXPECT_TRUE(claim.held());
    EXPECT_NO_THROW(claim.check_stream_owner("next", me()));
    EXPECT_THROW(claim.acquire("query", me(), true), concurrent_use_error) << "own stream still open";
    fiber other = spawn(
        [&] {
          EXPECT_THROW(claim.check_stream_owner("next", me()), concurrent_use_error);
          try {
            claim.acquire("query", me(), true);
            ADD_FAILURE() << "another fiber got a streaming connection";
          } catch (const concurrent_use_error& e) {
            EXPECT_TRUE(mentions(e.what(), "is running stream")) << e.what();
          }
        },
        {.name = "other"});
    other.join();
    claim.end_stream();
    EXPECT_TRUE(claim.held()) << "the stream's last exchange still runs";
    claim.release();
    EXPECT_FALSE(claim.held());

    claim.acquire("stream", me(), true);
    claim.hold_for_stream();
    claim.drop_stream();  // an abandoned stream frees the connection at once
    EXPECT_FALSE(claim.held());
    EXPECT_FALSE(claim.stream_open());
  });
}

TEST(connection_claim, broken_and_closed_connections_refuse_with_the_reason) {
  connection_claim claim("Test");
  EXPECT_FALSE(claim.broken());
  try {
    claim.acquire("ping", me(), /*open=*/false);
    ADD_FAILURE() << "a closed connection was claimed";
  } catch (const interface_error& e) {
    EXPECT_EQ(e.sqlstate(), "08003");
    EXPECT_TRUE(mentions(e.what(), "ping on a closed Test connection")) << e.what();
  }
  EXPECT_TRUE(claim.mark_broken());
  EXPECT_FALSE(claim.mark_broken()) << "only the first call says first";
  claim.set_broken_reason(error_reason::cancelled);
  try {
    claim.acquire("query", me(), true);
    ADD_FAILURE() << "a broken connection was claimed";
  } catch (const interface_error& e) {
    EXPECT_EQ(e.sqlstate(), "08003");
    EXPECT_EQ(e.reason(), error_reason::cancelled);
    EXPECT_TRUE(mentions(e.what(), "query on a broken Test connection (an earlier operation was interrupted)"))
        << e.what();
  }
  claim.set_broken_reason(error_reason::timeout);
  try {
    claim.acquire("query", me(), true);
    ADD_FAILURE() << "a broken connection was claimed";
  } catch (const interface_error& e) {
    EXPECT_EQ(e.reason(), error_reason::timeout);
    EXPECT_TRUE(mentions(e.what(), std::string("failed: ") + to_string(error_reason::timeout))) << e.what();
  }
  EXPECT_FALSE(claim.held());
}

TEST(run_guarded, returns_the_value_and_lets_a_harmless_error_pass) {
  int failed = 0, interrupted = 0;
  const auto on_failed = [&](const std::exception_ptr&, unsigned) { ++failed; };
  const auto on_interrupted = [&] { ++interrupted; };
  EXPECT_EQ(run_guarded([] { return 42; }, on_failed, on_interrupted), 42);
  EXPECT_THROW(
      run_guarded([]() -> int { throw programming_error(1064, "42000", "bad SQL"); }, on_failed, on_interrupted),
      programming_error);
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(interrupted, 0);
}

TEST(run_guarded, a_poisoning_error_is_handled_outside_its_catch_and_rethrown_as_adjusted) {
  fibersql::run([] {
    unsigned seen_code = 0;
    // on_failed waits; meanwhile another fiber of the same thread throws and catches. Were
    // on_failed still inside the handler, that catch ending would pop this one's exception.
    fiber noisy = spawn([] {
      for (int i = 0; i < 5; ++i) {
        try {
          throw std::runtime_error("noise");
        } catch (const std::exception&) {
          this_fiber::sleep_for(1ms);
        }
      }
    });
    try {
      run_guarded(
          []() -> int { throw operational_error(2013, "HY000", "Lost connection", error_reason::connection_lost); },
          [&](const std::exception_ptr& failure, unsigned code) {
            seen_code = code;
            EXPECT_EQ(std::current_exception(), nullptr) << "on_failed runs inside the handler";
            this_fiber::sleep_for(20ms);
            try {
              std::rethrow_exception(failure);
            } catch (error& e) {
              e.set_reason(error_reason::killed_by_server);
            }
          },
          [] { ADD_FAILURE() << "an error is not an interruption"; });
      ADD_FAILURE() << "the error was swallowed";
    } catch (const operational_error& e) {
      EXPECT_EQ(e.code(), 2013u);
      EXPECT_EQ(e.reason(), error_reason::killed_by_server) << "the rethrown error is the adjusted one";
      EXPECT_STREQ(e.what(), "Lost connection");
    }
    noisy.join();
    EXPECT_EQ(seen_code, 2013u);
  });
}

TEST(run_guarded, a_kill_mid_body_breaks_without_waiting_and_ends_the_fiber) {
  fibersql::run([] {
    int interrupted = 0;
    bool after = false;
    fiber victim = spawn([&] {
      run_guarded([] { this_fiber::sleep_for(10s); },
                  [](const std::exception_ptr&, unsigned) { ADD_FAILURE() << "a kill is not an error"; },
                  [&] { ++interrupted; });
      after = true;
    });
    this_fiber::sleep_for(5ms);
    victim.kill();
    victim.join();
    EXPECT_TRUE(victim.killed());
    EXPECT_EQ(interrupted, 1);
    EXPECT_FALSE(after);
  });
}

}  // namespace
}  // namespace fibersql::detail
