#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// A bounded group of fibers (gevent.pool.Pool): at most `limit` members run at once.
#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include <fibersql/runtime/fiber.hpp>
#include <fibersql/runtime/semaphore.hpp>

namespace fibersql {

class fiber_group {
 public:
  // limit: members allowed to run at once (>= 1). Throws: std::invalid_argument.
  explicit fiber_group(std::size_t limit, spawn_options defaults = {});
  // Kills the members still running (they end at their next wait point).
  ~fiber_group();
  fiber_group(const fiber_group&) = delete;
  fiber_group& operator=(const fiber_group&) = delete;

  // spawn: starts `fn` as a member, first waiting while `limit` members run.
  // Throws: fiber_exit, timeout_error, misuse_error.
  fiber spawn(std::function<void()> fn);
  // join: waits for every member; rethrows the first failure (in spawn order).
  void join();
  void kill();
  std::size_t running() const noexcept { return limit_ - slots_->available(); }
  std::size_t limit() const noexcept { return limit_; }

 private:
  std::size_t limit_;
  spawn_options defaults_;
  std::shared_ptr<semaphore> slots_;  // shared with members, which may outlive the group
  std::vector<fiber> members_;        // pruned of finished members on spawn
};

}  // namespace fibersql
FIBERSQL_PUBLIC_END
