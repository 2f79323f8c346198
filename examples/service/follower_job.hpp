#pragma once
// The background job: every `period`, recompute each user's follower count into
// users.followers. It runs in a fiber_group of one member at background priority, so its
// fiber runs only when no request fiber is ready (seed 2's lesson: slow work must not crowd
// out request fibers) and never overlaps itself.
#include <cstdint>

#include <fibersql/db/database.hpp>
#include <fibersql/runtime/clock.hpp>
#include <fibersql/runtime/event.hpp>
#include <fibersql/runtime/fiber_group.hpp>

namespace tweepee::service {

class follower_job {
 public:
  follower_job(fibersql::db::database& db, fibersql::clock::duration period) : db_(db), period_(period) {}
  // start: spawns the job's fiber on the calling hub.
  void start();
  // stop: asks the job to end after its current run and waits for it. Throws: the job's
  // failure, if it ended with one.
  void stop();
  std::uint64_t runs() const noexcept { return runs_; }

 private:
  void loop();

  fibersql::db::database& db_;
  fibersql::clock::duration period_;
  fibersql::event stop_requested_;
  std::uint64_t runs_ = 0;
  fibersql::fiber_group group_{1, {.name = "follower-job", .priority = fibersql::priority::background}};
};

}  // namespace tweepee::service
