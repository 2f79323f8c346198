#include <fibersql/runtime/hub.hpp>

#include <future>
#include <sstream>

#include <fibersql/runtime/detail/scope_exit.hpp>
#include <fibersql/runtime/errors.hpp>
#include <fibersql/runtime/log.hpp>

#include "detail/access.hpp"
#include "detail/hub_impl.hpp"
#include "detail/monitor_impl.hpp"

namespace fibersql {
namespace {

thread_local hub* this_thread_hub = nullptr;

}  // namespace

hub::hub() {
  if (this_thread_hub != nullptr) throw misuse_error("hub: this thread already has a hub (one hub per thread)");
  impl_ = std::make_unique<detail::hub_impl>(*this);
  this_thread_hub = this;
}

hub::~hub() {
  // Fibers still alive are killed and run to their end so their cleanup happens now.
  // A fiber that keeps waiting after fiber_exit is killed again; if nothing can wake the
  // rest at all, they are reported and their stacks unwound by Boost.Context.
  for (int round = 0; round < 100 && !impl_->live.empty(); ++round) {
    impl_->kill_all();
    try {
      impl_->run_until([this] { return impl_->live.empty(); });
    } catch (const misuse_error& e) {
      detail::log_message(log_level::error, std::string("fibersql: hub shutdown: ") + e.what());
      break;
    }
  }
  this_thread_hub = nullptr;
}

hub& hub::current() {
  if (this_thread_hub == nullptr) throw misuse_error("no hub on this thread (create one, or use fibersql::run)");
  return *this_thread_hub;
}

hub* hub::current_or_null() noexcept {
  return this_thread_hub;
}

void hub::run() {
  impl_->run_until([this] { return impl_->live.empty(); });
}

void hub::run_until(const fiber& f) {
  if (!f) throw misuse_error("hub::run_until: empty fiber handle");
  detail::fiber_context* ctx = detail::context_of(f);
  if (&ctx->hub != impl_.get()) throw misuse_error("hub::run_until: fiber " + ctx->name + " belongs to another hub");
  impl_->run_until([ctx] { return ctx->state == detail::fiber_state::done; });
}

void hub::serve() {
  ev_ref(impl_->loop);  // a serving hub waits for posts even with no fiber alive
  detail::scope_exit unref = [this]() noexcept { ev_unref(impl_->loop); };
  impl_->run_until([this] { return impl_->stop_requested(); });
}

void hub::stop() {
  impl_->request_stop();
}

void hub::post(std::function<void()> fn, spawn_options options) {
  impl_->post(std::move(fn), std::move(options));
}

std::size_t hub::live_fibers() const noexcept {
  return impl_->live.size();
}

std::uint64_t hub::switch_count() const noexcept {
  return impl_->switches.load(std::memory_order_relaxed);
}

std::vector<fiber_info> hub::dump() const {
  impl_->check_thread("hub::dump");
  return impl_->dump();
}

std::string hub::dump_text() const {
  std::ostringstream out;
  const auto fibers = dump();
  out << fibers.size() << " live fibers\n";
  for (const auto& f : fibers) {
    out << "  fiber " << f.id << " '" << f.name << "' " << f.state;
    if (!f.waiting_on.empty()) {
      out << " on " << f.waiting_on << " for "
          << std::chrono::duration_cast<std::chrono::milliseconds>(f.waiting_for).count() << " ms";
    }
    out << '\n';
  }
  return out.str();
}

void hub::start_monitor(monitor_options options) {
  impl_->check_thread("hub::start_monitor");
  impl_->monitor.reset();
  impl_->monitor = std::make_unique<detail::monitor_impl>(*impl_, std::move(options));
}

void hub::stop_monitor() {
  impl_->check_thread("hub::stop_monitor");
  impl_->monitor.reset();
}

latency_stats hub::latency() const {
  impl_->check_thread("hub::latency");
  return impl_->monitor ? impl_->monitor->stats() : latency_stats{};
}

hub_thread::hub_thread() {
  std::promise<hub*> started;
  auto ready = started.get_future();
  thread_ = std::thread([&started] {
    hub h;
    started.set_value(&h);
    h.serve();
  });
  hub_ = ready.get();
}

hub_thread::~hub_thread() {
  hub_->stop();
  thread_.join();
}

}  // namespace fibersql

namespace fibersql::detail {

hub_impl& current_hub(const char* operation) {
  hub* h = hub::current_or_null();
  if (h == nullptr) {
    throw misuse_error(std::string(operation) + ": no hub on this thread (create one, or use fibersql::run)");
  }
  return impl_of(*h);
}

}  // namespace fibersql::detail
