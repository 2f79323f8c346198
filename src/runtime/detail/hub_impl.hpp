#pragma once
// The hub's internals: ready queues, the live-fiber list, the loop, cross-thread mailbox.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <ev.h>

#include <fibersql/runtime/detail/thread_annotations.hpp>
#include <fibersql/runtime/fiber.hpp>
#include <fibersql/runtime/hub.hpp>

#include "fiber_context.hpp"
#include "stack_pool.hpp"

namespace fibersql::detail {

class monitor_impl;

// An intrusive FIFO of ready fibers.
class ready_queue {
 public:
  void push(fiber_context* f) noexcept {
    f->next_ready = nullptr;
    if (tail_)
      tail_->next_ready = f;
    else
      head_ = f;
    tail_ = f;
    ++size_;
  }
  fiber_context* pop() noexcept {
    fiber_context* f = head_;
    if (f) {
      head_ = f->next_ready;
      if (!head_) tail_ = nullptr;
      --size_;
    }
    return f;
  }
  bool empty() const noexcept { return head_ == nullptr; }
  std::size_t size() const noexcept { return size_; }

 private:
  fiber_context* head_ = nullptr;
  fiber_context* tail_ = nullptr;
  std::size_t size_ = 0;
};

class hub_impl {
 public:
  explicit hub_impl(hub& owner);
  ~hub_impl();

  hub& public_hub;
  const std::uint64_t id;  // process-unique, so a handle can tell this hub from a later one
  struct ev_loop* const loop;
  const std::thread::id owner_thread;
  const pthread_t owner_pthread;

  fiber_context* spawn(std::function<void()> fn, spawn_options&& options);
  void make_ready(fiber_context* f) noexcept;
  // Runs fibers and the loop until `done()`. Throws: misuse_error on deadlock.
  void run_until(const std::function<bool()>& done);
  void kill_all() noexcept;
  void check_thread(const char* operation) const;

  // From any thread.
  void post(std::function<void()> fn, spawn_options&& options);
  void post_wake(fiber_context* f);
  void request_stop();
  bool stop_requested() const noexcept { return stop_requested_.load(std::memory_order_acquire); }

  fiber_context* current = nullptr;
  intrusive_list<fiber_context, &fiber_context::live> live;
  stack_pool stacks;
  std::unique_ptr<monitor_impl> monitor;

  // Read by the watchdog thread: a switch counter and the fiber running now.
  std::atomic<std::uint64_t> switches{0};
  std::atomic<fiber_context*> running{nullptr};

  std::vector<fiber_info> dump() const;

 private:
  void resume(fiber_context* f);
  void finish(fiber_context* f) noexcept;
  fiber_context* next_ready() noexcept;
  std::size_t run_ready_batch();
  bool poll_due(std::size_t ran) noexcept;
  void drain_mailbox();
  [[noreturn]] void deadlock() const;
  static void on_async(struct ev_loop* loop, ev_async* w, int revents);

  ready_queue normal_;
  ready_queue background_;
  unsigned normal_streak_ = 0;  // normal turns since background last ran
  std::size_t batches_since_clock_read_ = 0;
  clock::time_point last_poll_{};  // when the loop last looked at IO and timers

  ev_async async_;
  annotated_mutex mailbox_mutex_;
  struct posted {
    std::function<void()> fn;
    spawn_options options;
  };
  std::vector<posted> posted_ FIBERSQL_GUARDED_BY(mailbox_mutex_);
  std::vector<fiber_context*> remote_wakes_ FIBERSQL_GUARDED_BY(mailbox_mutex_);
  std::atomic<bool> stop_requested_{false};
};

hub_impl& current_hub(const char* operation);

}  // namespace fibersql::detail
