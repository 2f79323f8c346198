#include <fibersql/runtime/signal_set.hpp>

#include <signal.h>

#include <mutex>
#include <string>

#include <fibersql/runtime/detail/thread_annotations.hpp>
#include <fibersql/runtime/errors.hpp>

#include "detail/hub_impl.hpp"

namespace fibersql {
namespace {

constexpr int max_signal = 64;

// Which signal numbers some signal_set catches: libev aborts the process when one signal is
// started on two loops, so a second owner must be refused before it reaches libev.
detail::annotated_mutex owners_mutex;
bool owned[max_signal + 1] FIBERSQL_GUARDED_BY(owners_mutex) = {};

void claim(int signum) {
  if (signum < 1 || signum > max_signal || signum == SIGKILL || signum == SIGSTOP) {
    throw misuse_error("signal_set: signal " + std::to_string(signum) +
                       " cannot be caught (expected 1..64, not SIGKILL or SIGSTOP)");
  }
  detail::annotated_lock lock(owners_mutex);
  if (owned[signum]) {
    throw misuse_error("signal_set: signal " + std::to_string(signum) +
                       " is already caught by another signal_set (one owner per signal)");
  }
  owned[signum] = true;
}

void unclaim(int signum) noexcept {
  detail::annotated_lock lock(owners_mutex);
  owned[signum] = false;
}

}  // namespace

struct signal_set::watcher {
  ev_signal w;
  signal_set* owner;
  struct ev_loop* loop;

  watcher(signal_set* o, struct ev_loop* l, int signum) : owner(o), loop(l) {
    ev_signal_init(&w, on_signal, signum);
    w.data = this;
    ev_signal_start(loop, &w);
    ev_unref(loop);  // catching alone must not keep run() from returning
  }
  ~watcher() {
    ev_ref(loop);  // balances the unref before stopping
    ev_signal_stop(loop, &w);
    unclaim(w.signum);
  }
  static void on_signal(struct ev_loop*, ev_signal* w, int) {
    auto* self = static_cast<watcher*>(w->data);
    self->owner->caught(w->signum);
  }
};

signal_set::signal_set(std::initializer_list<int> signals) : hub_(&detail::current_hub("signal_set")) {
  for (int signum : signals) {
    claim(signum);
    try {
      watchers_.push_back(std::make_unique<watcher>(this, hub_->loop, signum));
    } catch (...) {
      unclaim(signum);
      throw;
    }
  }
}

signal_set::~signal_set() {
  watchers_.clear();
}

void signal_set::caught(int signum) {
  caught_.push_back(signum);
  waiters_.notify_all();
}

int signal_set::wait(deadline until) {
  struct loop_ref {  // a fiber waiting for a signal is waiting for the outside world, not stuck
    struct ev_loop* loop;
    explicit loop_ref(struct ev_loop* l) : loop(l) { ev_ref(loop); }
    ~loop_ref() { ev_unref(loop); }
  } keep_alive(hub_->loop);
  while (caught_.empty()) {
    if (!waiters_.wait("signal", until)) {
      if (caught_.empty()) return 0;
    }
  }
  const int signum = caught_.front();
  caught_.pop_front();
  return signum;
}

int wait_signal(std::initializer_list<int> signals, deadline until) {
  signal_set set(signals);
  return set.wait(until);
}

}  // namespace fibersql
