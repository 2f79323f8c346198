// SQLite's URL schemes for the database layer's registry: "sqlite::memory:" and
// "sqlite://path". Registered by src/sqlite/CMakeLists.txt (fibersql_add_url_backend).
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include <fibersql/export.hpp>
#include <fibersql/runtime/clock.hpp>
#include <fibersql/runtime/offload.hpp>
#include <fibersql/runtime/this_fiber.hpp>
#include <fibersql/sql/errors.hpp>
#include <fibersql/sql/url_scheme.hpp>
#include <fibersql/sqlite/connection.hpp>

#include "detail/url.hpp"

namespace fibersql::sqlite {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view file_scheme = "sqlite://";
constexpr std::string_view memory_url = "sqlite::memory:";

// busy_give_up_after: how long a statement keeps retrying a lock held by another fiber before
// it gives up with operational_error (30 s, or the URL's busy_timeout). Two fibers that each
// wait for the other's lock (a read lock taken inside a transaction, then a write) would
// otherwise wait forever.
options fiber_options(std::chrono::milliseconds busy_give_up_after = 30s) {
  options o;
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

// A file database's commits wait for the disk (fdatasync): they run on the worker pool so the
// hub keeps serving (docs/architecture.md, "SQLite off the hub"; bench/sqlite_commit_bench).
// Shielded: a killed fiber still waits for its step, so the handle is never used by two
// threads at once nor closed under a worker. Outside a fiber there is no hub to keep serving:
// the caller's own thread may block.
options file_options(const detail::sqlite_url& parsed) {
  options o = fiber_options(parsed.busy_timeout);
  o.run_blocking = [](const std::function<void()>& call) {
    if (this_fiber::in_fiber()) {
      offload_shielded(call);
    } else {
      call();
    }
  };
  o.read_only = parsed.read_only;
  o.create = parsed.create;
  o.foreign_keys = parsed.foreign_keys;
  o.journal_mode = parsed.journal_mode;
  return o;
}

// A database file; every connection opens it anew.
class file_opener final : public url_opener {
 public:
  explicit file_opener(std::string url)
      : url_(std::move(url)), parsed_(detail::parse_sqlite_url(url_)), options_(file_options(parsed_)) {}
  std::unique_ptr<fibersql::connection> open() override { return connection::open(parsed_.path, options_); }
  // SQLite URLs carry no secret.
  std::string describe() const override { return url_; }

 private:
  std::string url_;
  detail::sqlite_url parsed_;
  options options_;
};

// One in-memory database per opener, named so that no other opener or test in the process
// meets it; the anchor connection keeps it alive as long as the opener.
class memory_opener final : public url_opener {
 public:
  memory_opener() {
    static std::atomic<std::uint64_t> counter{0};
    name_ = "fibersql-db-" + std::to_string(::getpid()) + "-" + std::to_string(counter.fetch_add(1));
    anchor_ = connection::open_shared_memory(name_, fiber_options());
  }
  ~memory_opener() override { anchor_->close(); }
  std::unique_ptr<fibersql::connection> open() override {
    return connection::open_shared_memory(name_, fiber_options());
  }
  std::string describe() const override { return std::string(memory_url); }

 private:
  std::string name_;
  std::unique_ptr<connection> anchor_;  // never queried
};

}  // namespace

// url_schemes: the schemes this backend adds to db's registry.
// Exported: db's generated registration file calls it across the shared-library boundary.
FIBERSQL_API std::vector<url_scheme> url_schemes() {
  std::vector<url_scheme> out;
  out.push_back({std::string(memory_url), [](std::string_view url) -> std::unique_ptr<url_opener> {
                   if (url != memory_url) {
                     throw interface_error(
                         0, "HY000",
                         "database URL '" + std::string(url) + "' is not sqlite::memory: (nothing may follow it)");
                   }
                   return std::make_unique<memory_opener>();
                 }});
  out.push_back({std::string(file_scheme), [](std::string_view url) -> std::unique_ptr<url_opener> {
                   // parse_sqlite_url names what is wrong (no path, an option, a NUL).
                   return std::make_unique<file_opener>(std::string(url));
                 }});
  return out;
}

}  // namespace fibersql::sqlite
