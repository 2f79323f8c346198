#include <fibersql/runtime/thread_pool.hpp>

#include <pthread.h>
#include <signal.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace fibersql {
namespace {

// Workers take no asynchronous signal: a process-directed SIGTERM then goes to a thread that
// waits for it (a hub's wait_signal) or takes its default action, never to a worker mid-call.
void block_signals() noexcept {
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);
}

}  // namespace

thread_pool::thread_pool(std::size_t threads) {
  if (threads == 0) throw std::invalid_argument("thread_pool: 0 threads (expected at least 1)");
  workers_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
}

thread_pool::~thread_pool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : workers_) t.join();
}

void thread_pool::submit(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
}

thread_pool_stats thread_pool::stats() const {
  std::lock_guard lock(mutex_);
  return {workers_.size(), busy_, queue_.size(), started_, completed_};
}

void thread_pool::work() {
  block_signals();
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and nothing left to run
    std::function<void()> job = std::move(queue_.front());
    queue_.pop_front();
    ++busy_;
    ++started_;
    lock.unlock();
    job();
    job = nullptr;  // drop the closure (and the result it holds) outside the lock
    lock.lock();
    --busy_;
    ++completed_;
  }
}

std::size_t thread_pool::default_threads() {
  if (const char* env = std::getenv("FIBERSQL_THREADPOOL_SIZE")) {
    char* end = nullptr;
    const unsigned long n = std::strtoul(env, &end, 10);
    if (end != env && *end == '\0' && n > 0 && n <= 1024) return n;
    throw std::invalid_argument("FIBERSQL_THREADPOOL_SIZE='" + std::string(env) +
                                "' (expected a thread count from 1 to 1024)");
  }
  return 10;
}

thread_pool& thread_pool::shared() {
  static thread_pool pool(default_threads());
  return pool;
}

}  // namespace fibersql
