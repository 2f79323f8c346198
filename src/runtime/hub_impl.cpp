#include "detail/hub_impl.hpp"

#include <pthread.h>

#include <sstream>

#include <fibersql/runtime/errors.hpp>

#include "detail/monitor_impl.hpp"

namespace fibersql::detail {
namespace {

// Background fibers get at least one turn in this many when normal fibers keep the queue busy.
constexpr unsigned background_share = 9;

std::atomic<std::uint64_t> next_fiber_id{1};
std::atomic<std::uint64_t> next_hub_id{1};

}  // namespace

hub_impl::hub_impl(hub& owner)
    : public_hub(owner),
      id(next_hub_id.fetch_add(1, std::memory_order_relaxed)),
      loop(ev_loop_new(EVFLAG_AUTO)),
      owner_thread(std::this_thread::get_id()),
      owner_pthread(pthread_self()) {
  if (loop == nullptr) throw misuse_error("hub: libev could not create a loop (ev_loop_new failed)");
  ev_async_init(&async_, &hub_impl::on_async);
  async_.data = this;
  ev_async_start(loop, &async_);
  ev_unref(loop);  // posts alone do not keep run() alive; serve() takes its own reference
}

hub_impl::~hub_impl() {
  monitor.reset();
  ev_ref(loop);
  ev_async_stop(loop, &async_);
  ev_loop_destroy(loop);
}

void hub_impl::check_thread(const char* operation) const {
  if (std::this_thread::get_id() != owner_thread) {
    std::ostringstream msg;
    msg << operation << ": this hub belongs to thread " << owner_thread << ", called from thread "
        << std::this_thread::get_id() << " (use hub::post to hand work to another hub)";
    throw misuse_error(msg.str());
  }
}

fiber_context* hub_impl::spawn(std::function<void()> fn, spawn_options&& options) {
  const std::size_t stack_size = options.stack_size;
  auto* f = new fiber_context(*this, next_fiber_id.fetch_add(1, std::memory_order_relaxed), std::move(fn),
                              std::move(options));
  try {
    f->ctx = boost::context::fiber(std::allocator_arg, pooled_stack_allocator{&stacks, stack_size},
                                   [f](boost::context::fiber&& hub_side) {
                                     f->hub_ctx = std::move(hub_side);
                                     try {
                                       if (!f->kill_requested)
                                         f->fn();
                                       else
                                         f->killed = true;
                                     } catch (const fiber_exit&) {
                                       f->killed = true;
                                     } catch (const boost::context::detail::forced_unwind&) {
                                       throw;
                                     } catch (...) {
                                       f->error = std::current_exception();
                                     }
                                     f->cleaning = true;
                                     f->fn = nullptr;  // captures die here, in the fiber, where they may still wait
                                     while (!f->locals.empty()) {
                                       fiber_local_slot slot = f->locals.back();
                                       f->locals.pop_back();
                                       try {
                                         slot.destroy(slot.object);
                                       } catch (const boost::context::detail::forced_unwind&) {
                                         throw;
                                       } catch (...) {  // a destructor that throws must not stop the other cleanups
                                       }
                                     }
                                     f->state = fiber_state::done;
                                     return std::move(f->hub_ctx);
                                   });
  } catch (...) {
    delete f;
    throw;
  }
  live.push_back(*f);
  make_ready(f);
  return f;
}

void hub_impl::make_ready(fiber_context* f) noexcept {
  f->state = fiber_state::ready;
  (f->prio == priority::background ? background_ : normal_).push(f);
}

fiber_context* hub_impl::next_ready() noexcept {
  if (!background_.empty() && (normal_.empty() || normal_streak_ + 1 >= background_share)) {
    normal_streak_ = 0;
    return background_.pop();
  }
  ++normal_streak_;
  return normal_.pop();
}

void hub_impl::resume(fiber_context* f) {
  current = f;
  f->state = fiber_state::running;
  running.store(f, std::memory_order_relaxed);
  switches.store(switches.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  f->ctx = std::move(f->ctx).resume();
  running.store(nullptr, std::memory_order_relaxed);
  current = nullptr;
  if (f->state == fiber_state::done) finish(f);
}

void hub_impl::finish(fiber_context* f) noexcept {
  // Boost.Context's ucontext flavour (sanitized builds) hands back the finished fiber's
  // record, which lives on its stack; dropping it now returns the stack to this hub's pool.
  // Kept until the last handle went, it would be freed after the hub unmapped the stacks.
  { boost::context::fiber finished = std::move(f->ctx); }
  live.unlink(*f);
  f->joiners.notify_all();
  release(f);
}

// Runs the fibers that are ready now; ones made ready meanwhile wait for the next batch.
// Returns how many ran.
// A long batch (hundreds of ready fibers) still lets the loop in every millisecond or so, so
// timers and the latency probe are not held back by a whole pass over the queue.
std::size_t hub_impl::run_ready_batch() {
  constexpr std::size_t fibers_per_clock_read = 32;
  constexpr auto max_batch_without_poll = std::chrono::milliseconds(1);
  std::size_t ran = 0;
  for (std::size_t n = normal_.size() + background_.size(); n > 0; --n) {
    fiber_context* f = next_ready();
    if (f == nullptr) break;
    resume(f);
    if (++ran % fibers_per_clock_read == 0) {
      const auto now = clock::now();
      if (now - last_poll_ >= max_batch_without_poll) {
        last_poll_ = now;
        ev_run(loop, EVRUN_NOWAIT);
      }
    }
  }
  return ran;
}

// A non-blocking epoll_wait costs about 2 us on these VMs, more than a dozen switches, so
// while fibers stay ready the loop is polled once per poll_interval rather than once per
// batch. The clock is read every few batches, or after any large batch.
bool hub_impl::poll_due(std::size_t ran) noexcept {
  constexpr std::size_t batches_per_clock_read = 16;
  constexpr std::size_t large_batch = 64;
  constexpr auto poll_interval = std::chrono::microseconds(100);
  if (ran < large_batch && ++batches_since_clock_read_ < batches_per_clock_read) return false;
  batches_since_clock_read_ = 0;
  const auto now = clock::now();
  if (now - last_poll_ < poll_interval) return false;
  last_poll_ = now;
  return true;
}

void hub_impl::run_until(const std::function<bool()>& done) {
  check_thread("hub::run");
  if (current != nullptr) throw misuse_error("hub::run called from inside fiber " + current->name);
  while (!done()) {
    const std::size_t ran = run_ready_batch();
    if (done()) break;
    if (!normal_.empty() || !background_.empty()) {
      if (poll_due(ran)) ev_run(loop, EVRUN_NOWAIT);
    } else if (!ev_run(loop, EVRUN_ONCE) && normal_.empty() && background_.empty()) {
      // No referenced watcher is left (timers, IO, serve, cross-hub waits): nothing can wake
      // the fibers that remain, unless a post raced in.
      drain_mailbox();
      if (normal_.empty() && background_.empty() && !done()) deadlock();
    } else {
      last_poll_ = clock::now();
    }
  }
}

void hub_impl::kill_all() noexcept {
  for (fiber_context* f = live.front(); f != nullptr; f = live.next(*f)) request_kill(*f);
}

void hub_impl::deadlock() const {
  std::ostringstream msg;
  msg << "deadlock: " << live.size() << " fibers wait and nothing (timer, IO, other thread) can wake them:";
  for (const auto& info : dump())
    msg << "\n  fiber " << info.id << " '" << info.name << "' waits on " << info.waiting_on;
  throw misuse_error(msg.str());
}

void hub_impl::post(std::function<void()> fn, spawn_options&& options) {
  {
    annotated_lock lock(mailbox_mutex_);
    posted_.push_back({std::move(fn), std::move(options)});
  }
  ev_async_send(loop, &async_);
}

void hub_impl::post_wake(fiber_context* f) {
  {
    annotated_lock lock(mailbox_mutex_);
    remote_wakes_.push_back(f);
  }
  ev_async_send(loop, &async_);
}

void hub_impl::request_stop() {
  stop_requested_.store(true, std::memory_order_release);
  ev_async_send(loop, &async_);
}

void hub_impl::on_async(struct ev_loop*, ev_async* w, int) {
  static_cast<hub_impl*>(w->data)->drain_mailbox();
}

void hub_impl::drain_mailbox() {
  std::vector<posted> work;
  std::vector<fiber_context*> wakes;
  {
    annotated_lock lock(mailbox_mutex_);
    work.swap(posted_);
    wakes.swap(remote_wakes_);
  }
  for (auto& p : work) spawn(std::move(p.fn), std::move(p.options));
  for (fiber_context* f : wakes) {
    ++f->remote_wakes;
    wake(*f);
  }
}

std::vector<fiber_info> hub_impl::dump() const {
  static const char* const state_names[] = {"ready", "running", "waiting", "ending"};
  std::vector<fiber_info> out;
  out.reserve(live.size());
  const ev_tstamp now = ev_now(loop);
  for (const fiber_context* f = live.front(); f != nullptr; f = live.next(*f)) {
    fiber_info info;
    info.id = f->id;
    info.name = f->name;
    info.state = f->cleaning ? "ending" : state_names[static_cast<int>(f->state)];
    if (f->state == fiber_state::waiting && f->waiting_on) {
      info.waiting_on = f->waiting_on;
      info.waiting_for =
          std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(now - f->wait_since));
    }
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace fibersql::detail
