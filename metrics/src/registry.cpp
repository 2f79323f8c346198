#include <fibersql/metrics/registry.hpp>

#include <algorithm>
#include <utility>

#include <fibersql/db/database.hpp>
#include <fibersql/pool/connection_pool.hpp>
#include <fibersql/runtime/hub.hpp>

namespace fibersql::metrics {

registration::registration(registration&& other) noexcept
    : owner_(std::exchange(other.owner_, nullptr)), id_(other.id_) {}

registration& registration::operator=(registration&& other) noexcept {
  if (this != &other) {
    reset();
    owner_ = std::exchange(other.owner_, nullptr);
    id_ = other.id_;
  }
  return *this;
}

registration::~registration() {
  reset();
}

void registration::reset() noexcept {
  if (owner_) std::exchange(owner_, nullptr)->remove(id_);
}

registration registry::add_reader(reader r) {
  std::lock_guard lock(mutex_);
  const std::uint64_t id = next_id_++;
  entries_.push_back({id, std::move(r)});
  return registration(this, id);
}

void registry::remove(std::uint64_t id) noexcept {
  std::lock_guard lock(mutex_);
  std::erase_if(entries_, [id](const entry& e) { return e.id == id; });
}

registration registry::add(std::string name, const pool::connection_pool& x) {
  return add_reader([name = std::move(name), &x](snapshot& s) { s.pools.push_back({name, x.stats()}); });
}

registration registry::add(std::string name, const db::database& x) {
  return add_reader([name = std::move(name), &x](snapshot& s) {
    const db::database_stats st = x.stats();
    s.databases.push_back({name, st.open_connections, st.abandoned_total, st.acquire_failures});
  });
}

registration registry::add(std::string name, const hub& x) {
  return add_reader([name = std::move(name), &x](snapshot& s) {
    // The ready count comes from the run-info dump: a scrape is rare, and it keeps the hub's
    // own header (included everywhere) unchanged.
    std::size_t ready = 0;
    for (const fiber_info& f : x.dump()) ready += f.state == "ready" ? 1 : 0;
    s.hubs.push_back({name, x.latency(), ready, x.live_fibers()});
  });
}

registration registry::add(std::string name, const statement_metrics& x) {
  return add_reader([name = std::move(name), &x](snapshot& s) { s.statements.push_back({name, x.snapshot()}); });
}

snapshot registry::take() const {
  snapshot s;
  std::lock_guard lock(mutex_);
  for (const entry& e : entries_) e.read(s);
  return s;
}

void snapshot::merge(snapshot other) {
  auto append = [](auto& to, auto& from) {
    to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
  };
  append(pools, other.pools);
  append(databases, other.databases);
  append(hubs, other.hubs);
  append(statements, other.statements);
}

}  // namespace fibersql::metrics
