// SQLite's URL schemes for the database layer's registry: "sqlite::memory:" and
// "sqlite://path". Registered by src/sqlite/CMakeLists.txt (fibersql_add_url_backend).
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include <fibersql/runtime/clock.hpp>
#include <fibersql/runtime/this_fiber.hpp>
#include <fibersql/sql/errors.hpp>
#include <fibersql/sql/url_scheme.hpp>
#include <fibersql/sqlite/connection.hpp>

namespace fibersql::sqlite {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view file_scheme = "sqlite://";
constexpr std::string_view memory_url = "sqlite::memory:";

// How long a statement keeps retrying a lock held by another fiber before it gives up with
// operational_error. Two fibers that each wait for the other's lock (a read lock taken
// inside a transaction, then a write) would otherwise wait forever.
constexpr auto busy_give_up_after = 30s;

options fiber_options() {
  options o;
  // SQLite's own busy wait sleeps the thread, i.e. the hub, while the fiber that holds the
  // lock cannot run: it could only ever time out. Sleep the fiber instead.
  o.busy_timeout = 0ms;
  o.on_busy = [started = clock::time_point{}](unsigned attempt) mutable {
    if (attempt == 1) started = clock::now();
    if (clock::now() - started > busy_give_up_after) return false;
    this_fiber::sleep_for(1ms);
    return true;
  };
  return o;
}

// A database file; every connection opens it anew.
class file_opener final : public url_opener {
 public:
  file_opener(std::string url, std::string path) : url_(std::move(url)), path_(std::move(path)) {}
  std::unique_ptr<fibersql::connection> open() override { return connection::open(path_, fiber_options()); }
  // SQLite URLs carry no secret.
  std::string describe() const override { return url_; }

 private:
  std::string url_;
  std::string path_;
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
std::vector<url_scheme> url_schemes() {
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
                   if (url.size() == file_scheme.size()) {
                     throw interface_error(0, "HY000", "database URL 'sqlite://' names no file (use sqlite:///path)");
                   }
                   return std::make_unique<file_opener>(std::string(url), std::string(url.substr(file_scheme.size())));
                 }});
  return out;
}

}  // namespace fibersql::sqlite
