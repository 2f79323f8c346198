// The per-host health registry behind multi-host URLs: back-off after a failed connect and a
// background probe fiber that must succeed before connects use the host again.
#include <algorithm>
#include <memory>
#include <mutex>
#include <vector>

#include <fibersql/runtime/fiber.hpp>
#include <fibersql/runtime/hub.hpp>
#include <fibersql/runtime/this_fiber.hpp>

#include "detail/host_health.hpp"

namespace fibersql::mysql {
namespace {

// A probe stops when no connect has asked for its host this long: a host that stays dead in a
// process that stopped using it costs nothing (the next connect that asks restarts the probe).
constexpr clock::duration probe_idle_limit = std::chrono::seconds(30);

struct entry {
  host_stats stats;
  deadline retry_at{};  // the probe's next attempt
  deadline last_asked{};
};

struct registry {
  std::mutex mutex;  // guards entries and every field of each; never held across a wait
  std::vector<std::unique_ptr<entry>> entries;

  entry& find_locked(const std::string& host, unsigned port) {
    for (auto& e : entries)
      if (e->stats.port == port && e->stats.host == host) return *e;
    auto& e = entries.emplace_back(std::make_unique<entry>());
    e->stats.host = host;
    e->stats.port = port;
    return *e;
  }
};

registry& the_registry() {
  static registry r;  // process-wide: a host is down for every thread's connects alike
  return r;
}

// Clears `probing` however the probe fiber ends (success, gave up, killed with its hub).
struct probing_flag {
  entry* e;
  ~probing_flag() {
    std::lock_guard lock(the_registry().mutex);
    e->stats.probing = false;
  }
};

void probe_loop(entry* e, clock::duration backoff_max, const std::function<void()>& probe) {
  registry& r = the_registry();
  probing_flag flag{e};
  for (;;) {
    deadline at;
    {
      std::lock_guard lock(r.mutex);
      at = e->retry_at;
    }
    this_fiber::sleep_until(at);
    {
      std::lock_guard lock(r.mutex);
      if (clock::now() - e->last_asked > probe_idle_limit) return;
      ++e->stats.probes;
    }
    try {
      probe();
      std::lock_guard lock(r.mutex);
      e->stats.down = false;
      e->stats.backoff = clock::duration::zero();
      return;
    } catch (const std::exception&) {
      // Refused, timed out, not ready: still down. fiber_exit is no std::exception and ends us.
      std::lock_guard lock(r.mutex);
      ++e->stats.probe_failures;
      e->stats.backoff = std::min(e->stats.backoff * 2, backoff_max);
      e->retry_at = clock::now() + e->stats.backoff;
    }
  }
}

// Starts the probe fiber for a down host that has none. Needs the registry's lock held.
void start_probe_locked(entry& e, clock::duration backoff_max, const std::function<void()>& probe) {
  if (e.stats.probing || hub::current_or_null() == nullptr) return;
  e.stats.probing = true;
  entry* p = &e;
  spawn([p, backoff_max, probe] { probe_loop(p, backoff_max, probe); },
        {.name = "mysql host probe " + e.stats.host + ":" + std::to_string(e.stats.port),
         .priority = priority::background});
}

}  // namespace

std::vector<host_stats> host_health() {
  registry& r = the_registry();
  std::lock_guard lock(r.mutex);
  std::vector<host_stats> out;
  for (const auto& e : r.entries) out.push_back(e->stats);
  return out;
}

host_stats host_health(const std::string& host, unsigned port) {
  for (host_stats& s : host_health())
    if (s.host == host && s.port == port) return s;
  host_stats none;
  none.host = host;
  none.port = port;
  return none;
}

namespace detail {

bool host_usable(const std::string& host, unsigned port, clock::duration /*backoff*/, clock::duration backoff_max,
                 const std::function<void()>& probe) {
  registry& r = the_registry();
  std::lock_guard lock(r.mutex);
  entry& e = r.find_locked(host, port);
  e.last_asked = clock::now();
  if (!e.stats.down) return true;
  // Outside any hub no probe can run: the back-off alone decides, and the connect is the probe.
  if (hub::current_or_null() == nullptr && e.last_asked >= e.retry_at) return true;
  start_probe_locked(e, backoff_max, probe);
  ++e.stats.skipped;
  return false;
}

void host_succeeded(const std::string& host, unsigned port) {
  registry& r = the_registry();
  std::lock_guard lock(r.mutex);
  entry& e = r.find_locked(host, port);
  ++e.stats.connects;
  e.stats.down = false;  // a full connect (with its checks) is as good as a probe
  e.stats.backoff = clock::duration::zero();
}

void host_failed(const std::string& host, unsigned port, clock::duration backoff, clock::duration backoff_max,
                 const std::function<void()>& probe) {
  registry& r = the_registry();
  std::lock_guard lock(r.mutex);
  entry& e = r.find_locked(host, port);
  ++e.stats.failures;
  if (!e.stats.down) {
    e.stats.down = true;
    e.stats.backoff = std::max(backoff, clock::duration(1));
    e.retry_at = clock::now() + e.stats.backoff;
  }
  start_probe_locked(e, backoff_max, probe);
}

}  // namespace detail
}  // namespace fibersql::mysql
