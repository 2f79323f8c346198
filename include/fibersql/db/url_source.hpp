#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// The default connection source: opens a new connection for each fiber from a URL and closes
// it when the fiber is done with it.
#include <atomic>
#include <memory>
#include <string>
#include <string_view>

#include <fibersql/db/connection_source.hpp>
#include <fibersql/sqlite/connection.hpp>

namespace fibersql::db {

// Accepted URLs:
//   mysql://user:pass@host:port/db?options   (or mariadb://; see mysql/options.hpp)
//   sqlite::memory:        one in-memory database shared by every connection of this source;
//                          it lives as long as the source (an anchor connection keeps it)
//   sqlite:///abs/path.db  a database file (everything after "sqlite://" up to '?' is the
//                          path, so sqlite://rel.db is relative to the working directory),
//                          options: mode=ro|rw|rwc, journal_mode=wal|delete|..., busy_timeout=ms
//                          (the fiber-sleeping lock wait), foreign_keys=on|off; any other is
//                          an interface_error. The file is never opened as an SQLite URI.
// SQLite connections get busy_timeout 0 and an on_busy that sleeps the fiber, because
// SQLite's own busy wait would block the hub while the lock holder (a fiber on the same hub)
// cannot run.
class url_source final : public connection_source {
 public:
  // url_source: checks the URL (and opens the anchor for sqlite::memory:).
  // Throws: interface_error for a URL no backend accepts, operational_error.
  explicit url_source(std::string_view url);
  ~url_source() override;

  // acquire: opens a connection. Throws: as the backend's open. Fiber-safety: any fiber.
  std::unique_ptr<connection> acquire() override;
  // release: closes the connection.
  void release(std::unique_ptr<connection> conn) noexcept override;
  // describe: the URL with any password masked.
  std::string describe() const override;

  // Connections this source has open now (acquired, not yet released).
  std::size_t open_now() const noexcept { return open_.load(std::memory_order_relaxed); }

 private:
  enum class kind { mysql, sqlite_file, sqlite_memory };
  std::string url_;
  kind kind_;
  std::string path_;                    // SQLite file path or shared-memory name
  sqlite::options file_options_;        // SQLite file: from the URL's options
  std::unique_ptr<connection> anchor_;  // keeps sqlite::memory: alive; never queried
  std::atomic<std::size_t> open_{0};
};

}  // namespace fibersql::db
FIBERSQL_PUBLIC_END
