#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// The explicit list of what a metrics snapshot reads. Nothing registers itself: the user adds
// a pool, database, hub or statement_metrics and gets a handle that removes it again.
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include <fibersql/metrics/snapshot.hpp>

namespace fibersql {
class hub;
namespace db {
class database;
}
namespace pool {
class connection_pool;
}
}  // namespace fibersql

namespace fibersql::metrics {

class registry;

// Removes its entry from the registry when destroyed. Move-only. Declare it after the object it
// registers and after its registry, so that it is destroyed before both.
class [[nodiscard]] registration {
 public:
  registration() = default;
  registration(registry* owner, std::uint64_t id) noexcept : owner_(owner), id_(id) {}
  registration(registration&& other) noexcept;
  registration& operator=(registration&& other) noexcept;
  ~registration();
  // reset: removes the entry now.
  void reset() noexcept;

 private:
  registry* owner_ = nullptr;
  std::uint64_t id_ = 0;
};

class registry {
 public:
  registry() = default;
  registry(const registry&) = delete;
  registry& operator=(const registry&) = delete;

  // add: reads `x` into every snapshot under `name` until the handle is destroyed. The object
  // must outlive the handle. Fiber-safety: any thread (a mutex guards the list, never taken by
  // the statement path).
  registration add(std::string name, const pool::connection_pool& x);
  registration add(std::string name, const db::database& x);
  registration add(std::string name, const hub& x);
  registration add(std::string name, const statement_metrics& x);

  // take: a snapshot of every registered object. Fiber-safety: pools, databases and hubs are
  // per hub, so call it from a fiber of the hub they belong to (one registry per hub when
  // there are several; snapshot::merge joins them).
  snapshot take() const;

 private:
  friend class registration;
  using reader = std::function<void(snapshot&)>;
  registration add_reader(reader r);
  void remove(std::uint64_t id) noexcept;

  struct entry {
    std::uint64_t id;
    reader read;
  };
  mutable std::mutex mutex_;
  std::vector<entry> entries_;  // guarded by mutex_, in registration order
  std::uint64_t next_id_ = 1;   // guarded by mutex_
};

}  // namespace fibersql::metrics
FIBERSQL_PUBLIC_END
