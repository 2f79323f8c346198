#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// A bounded pool of worker threads for work that must block (gevent's threadpool):
// getaddrinfo, a SQLite commit's fdatasync, a file read. Fibers hand it work with offload().
//
// The bound is the number of worker threads: at most `threads` functions run at once; more
// wait in a FIFO queue. Worker threads block every asynchronous signal, so a SIGTERM meant
// for a hub's wait_signal() never lands on (and never interrupts) a worker.
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace fibersql {

struct thread_pool_stats {
  std::size_t threads = 0;      // worker threads (the bound)
  std::size_t busy = 0;         // workers running a function now
  std::size_t queued = 0;       // functions waiting for a worker
  std::uint64_t started = 0;    // functions a worker has taken (counted before they run)
  std::uint64_t completed = 0;  // functions finished since the pool started (any outcome)
};

class thread_pool {
 public:
  // thread_pool: starts `threads` workers (>= 1). Throws: std::invalid_argument for 0.
  explicit thread_pool(std::size_t threads);
  // Runs every queued function to its end, then joins the workers.
  ~thread_pool();
  thread_pool(const thread_pool&) = delete;
  thread_pool& operator=(const thread_pool&) = delete;

  // submit: queues `job` for the next free worker. `job` must not throw (offload() wraps
  // the caller's function so its exception reaches the waiting fiber). Callable from any thread.
  void submit(std::function<void()> job);
  thread_pool_stats stats() const;
  std::size_t size() const noexcept { return workers_.size(); }

  // shared: the process-wide pool offload() uses by default, created on first use with
  // default_threads() workers and joined at exit.
  static thread_pool& shared();
  // default_threads: 10, as gevent's threadpool; FIBERSQL_THREADPOOL_SIZE overrides it.
  static std::size_t default_threads();

 private:
  void work();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;  // guarded by mutex_
  std::size_t busy_ = 0;                     // guarded by mutex_
  std::uint64_t started_ = 0;                // guarded by mutex_
  std::uint64_t completed_ = 0;              // guarded by mutex_
  bool stopping_ = false;                    // guarded by mutex_
  std::vector<std::thread> workers_;
};

}  // namespace fibersql
FIBERSQL_PUBLIC_END
