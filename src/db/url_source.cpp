// The default source: one new connection per fiber, from a URL, closed when released.
#include <fibersql/db/url_source.hpp>

#include <unistd.h>
#include <atomic>
#include <chrono>

#include <fibersql/mysql/mysql_connection.hpp>
#include <fibersql/mysql/redact.hpp>
#include <fibersql/runtime/offload.hpp>
#include <fibersql/runtime/this_fiber.hpp>
#include <fibersql/sql/errors.hpp>
#include <fibersql/sqlite/connection.hpp>

#include "detail/sqlite_url.hpp"

namespace fibersql::db {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view sqlite_scheme = "sqlite://";
constexpr std::string_view sqlite_memory = "sqlite::memory:";

// busy_give_up_after: how long a statement keeps retrying a lock held by another fiber
// before it gives up with operational_error (30 s, or the URL's busy_timeout). Two fibers
// that each wait for the other's lock (a read lock taken inside a transaction, then a
// write) would otherwise wait forever.
sqlite::options sqlite_options(std::chrono::milliseconds busy_give_up_after = 30s) {
  sqlite::options o;
  // SQLite's own busy wait sleeps the thread, i.e. the hub, while the fiber that holds the
  // lock cannot run: it could only ever time out. Sleep the fiber instead.
  o.busy_timeout = 0ms;
  o.on_busy = [started = clock::time_point{}, busy_give_up_after](unsigned attempt) mutable {
    if (attempt == 1) started = clock::now();
    if (clock::now() - started > busy_give_up_after) return false;
    this_fiber::sleep_for(1ms);
    return true;
  };
  return o;
}

// A file database's commits wait for the disk (fdatasync): they run on the worker pool so
// the hub keeps serving (docs/architecture.md, "SQLite off the hub"; bench/sqlite_commit).
// Shielded: a killed fiber still waits for its step, so the handle is never used by two
// threads at once nor closed under a worker.
sqlite::options sqlite_file_options(std::chrono::milliseconds busy_give_up_after) {
  sqlite::options o = sqlite_options(busy_give_up_after);
  // Outside a fiber there is no hub to keep serving: the caller's own thread may block.
  o.run_blocking = [](const std::function<void()>& call) {
    if (this_fiber::in_fiber()) {
      offload_shielded(call);
    } else {
      call();
    }
  };
  return o;
}

}  // namespace

url_source::url_source(std::string_view url) : url_(url) {
  if (is_mysql_url(url)) {
    kind_ = kind::mysql;
  } else if (url == sqlite_memory) {
    // One database per source, named so that no other source or test in the process meets it.
    static std::atomic<std::uint64_t> counter{0};
    kind_ = kind::sqlite_memory;
    path_ = "fibersql-db-" + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1));
    anchor_ = sqlite::connection::open_shared_memory(path_, sqlite_options());
  } else if (url.starts_with(sqlite_scheme)) {
    kind_ = kind::sqlite_file;
    const detail::sqlite_url parsed = detail::parse_sqlite_url(url);
    path_ = parsed.path;
    file_options_ = sqlite_file_options(parsed.busy_timeout);
    file_options_.read_only = parsed.read_only;
    file_options_.create = parsed.create;
    file_options_.foreign_keys = parsed.foreign_keys;
    file_options_.journal_mode = parsed.journal_mode;
  } else {
    throw interface_error(0, "HY000",
                          "database URL '" + redact_url(url_) +
                              "' names no backend (use mysql://..., mariadb://..., sqlite::memory: or sqlite:///path)");
  }
}

url_source::~url_source() {
  if (anchor_) anchor_->close();
}

std::unique_ptr<connection> url_source::acquire() {
  std::unique_ptr<connection> c;
  switch (kind_) {
    case kind::mysql:
      c = mysql_connection::open(url_);
      break;
    case kind::sqlite_file:
      c = sqlite::connection::open(path_, file_options_);
      break;
    case kind::sqlite_memory:
      c = sqlite::connection::open_shared_memory(path_, sqlite_options());
      break;
  }
  open_.fetch_add(1, std::memory_order_relaxed);
  return c;
}

void url_source::release(std::unique_ptr<connection> conn) noexcept {
  if (!conn) return;
  conn->close();
  conn.reset();
  open_.fetch_sub(1, std::memory_order_relaxed);
}

std::string url_source::describe() const {
  // SQLite URLs carry no secret (and "sqlite::memory:" has a ':' that redact_url would hide).
  return kind_ == kind::mysql ? redact_url(url_) : url_;
}

}  // namespace fibersql::db
