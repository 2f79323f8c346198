#include <fibersql/runtime/fiber.hpp>

#include <cstdio>
#include <mutex>

#include <fibersql/runtime/detail/thread_annotations.hpp>
#include <fibersql/runtime/errors.hpp>
#include <fibersql/runtime/hub.hpp>
#include <fibersql/runtime/log.hpp>

#include "detail/access.hpp"
#include "detail/hub_impl.hpp"

namespace fibersql {
namespace {

detail::annotated_mutex handler_mutex;
unhandled_error_handler unhandled_handler FIBERSQL_GUARDED_BY(handler_mutex);  // empty: print

std::string describe(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    return ex.what();
  } catch (...) {
    return "a non-std exception";
  }
}

detail::fiber_context& checked(detail::fiber_context* ctx, const char* operation) {
  if (ctx == nullptr) throw misuse_error(std::string(operation) + ": empty fiber handle");
  ctx->hub.check_thread(operation);
  return *ctx;
}

// Joining needs a fiber of the same hub that is not the target itself.
detail::fiber_context& joiner_for(detail::fiber_context& target, const char* operation) {
  detail::fiber_context& self = detail::current_fiber(operation);
  if (&self == &target) {
    throw misuse_error(std::string(operation) + ": fiber " + std::to_string(target.id) + " '" + target.name +
                       "' would wait for itself");
  }
  return self;
}

}  // namespace

namespace detail {

void report_unjoined_failure(fiber_context& f) noexcept {
  try {
    detail::annotated_lock lock(handler_mutex);
    if (unhandled_handler) {
      unhandled_handler(f.id, f.name, f.error);
    } else {
      log_message(log_level::error, "fibersql: fiber " + std::to_string(f.id) + " '" + f.name +
                                        "' failed and nobody joined it: " + describe(f.error));
    }
  } catch (...) {
  }
}

}  // namespace detail

void set_unhandled_error_handler(unhandled_error_handler handler) {
  detail::annotated_lock lock(handler_mutex);
  unhandled_handler = std::move(handler);
}

fiber spawn(std::function<void()> fn, spawn_options options) {
  return detail::fiber_access::make(detail::current_hub("spawn").spawn(std::move(fn), std::move(options)));
}

fiber::fiber(detail::fiber_context* ctx) noexcept : ctx_(ctx) {
  if (ctx_) detail::add_ref(ctx_);
}
fiber::fiber(const fiber& other) noexcept : fiber(other.ctx_) {}
fiber::fiber(fiber&& other) noexcept : ctx_(std::exchange(other.ctx_, nullptr)) {}
fiber& fiber::operator=(fiber other) noexcept {
  std::swap(ctx_, other.ctx_);
  return *this;
}
fiber::~fiber() {
  if (ctx_) detail::release(ctx_);
}

std::uint64_t fiber::id() const noexcept {
  return ctx_ ? ctx_->id : 0;
}
const std::string& fiber::name() const noexcept {
  static const std::string none;
  return ctx_ ? ctx_->name : none;
}
bool fiber::done() const noexcept {
  return ctx_ && ctx_->state == detail::fiber_state::done;
}
bool fiber::killed() const noexcept {
  return ctx_ && ctx_->killed;
}

void fiber::join() const {
  join(clock::duration::max());
}

bool fiber::join(clock::duration limit) const {
  detail::fiber_context& target = checked(ctx_, "fiber::join");
  if (target.state != detail::fiber_state::done) {
    joiner_for(target, "fiber::join");
    const deadline until = deadline_after(limit);
    while (target.state != detail::fiber_state::done) {
      if (!target.joiners.wait("join", until)) return false;
    }
  }
  target.error_observed = true;
  if (target.error) std::rethrow_exception(target.error);
  return true;
}

void fiber::kill() const {
  detail::fiber_context& target = checked(ctx_, "fiber::kill");
  if (&target == detail::current_fiber_or_null() && !target.kills_held()) throw fiber_exit{};
  detail::request_kill(target);
}

void join_all(std::span<const fiber> fibers) {
  std::exception_ptr first;
  for (const fiber& f : fibers) {
    try {
      f.join();
    } catch (const fiber_exit&) {
      throw;  // the joiner itself was killed
    } catch (const timeout_error&) {
      throw;
    } catch (...) {
      if (!first) first = std::current_exception();
    }
  }
  if (first) std::rethrow_exception(first);
}

std::optional<std::size_t> wait_any(std::span<const fiber> fibers, clock::duration limit) {
  if (fibers.empty()) throw misuse_error("wait_any: no fibers given");
  auto find_done = [&]() -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < fibers.size(); ++i) {
      if (checked(detail::context_of(fibers[i]), "wait_any").state == detail::fiber_state::done) return i;
    }
    return std::nullopt;
  };
  if (auto i = find_done()) return i;
  detail::fiber_context& self = detail::current_fiber("wait_any");
  for (const fiber& f : fibers) joiner_for(*detail::context_of(f), "wait_any");
  const deadline until = deadline_after(limit);
  std::vector<detail::waiter> waiters(fibers.size());
  for (std::size_t i = 0; i < fibers.size(); ++i) {
    waiters[i].fiber = &self;
    detail::context_of(fibers[i])->joiners.push(waiters[i]);
  }
  const detail::wake_reason why = detail::park(self, "wait_any", until);
  for (std::size_t i = 0; i < fibers.size(); ++i) detail::context_of(fibers[i])->joiners.unlink(waiters[i]);
  if (auto i = find_done()) return i;
  detail::raise_unless_own_deadline(self, why, until);
  return std::nullopt;
}

}  // namespace fibersql
