#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// The default connection source: opens a new connection for each fiber from a URL and closes
// it when the fiber gives it back.
#include <memory>
#include <string>
#include <string_view>

#include <fibersql/db/connection_source.hpp>
#include <fibersql/sql/url_scheme.hpp>

namespace fibersql::db {

// The URL picks its backend by prefix from the registry (url_schemes.hpp). The backends
// built here accept:
//   mysql://user:pass@host:port/db?options   (or mariadb://; see mysql/options.hpp)
//   sqlite::memory:        one in-memory database shared by every connection of this source;
//                          it lives as long as the source (an anchor connection keeps it)
//   sqlite:///abs/path.db  a database file (everything after "sqlite://" is the path, so
//                          sqlite://rel.db is relative to the working directory)
// SQLite connections get busy_timeout 0 and an on_busy that sleeps the fiber, because
// SQLite's own busy wait would block the hub while the lock holder (a fiber on the same hub)
// cannot run.
class url_source final : public connection_source {
 public:
  // url_source: checks the URL (and opens the anchor for sqlite::memory:).
  // Throws: interface_error for a URL no backend accepts, operational_error.
  explicit url_source(std::string_view url);
  ~url_source() override;

  // acquire: opens a connection, lent as an owned_lease (closed when given back).
  // Throws: as the backend's open. Fiber-safety: any fiber.
  std::unique_ptr<lease> acquire() override;
  // describe: the URL with any password masked.
  std::string describe() const override;

 private:
  std::unique_ptr<url_opener> opener_;  // the backend's view of the URL
};

}  // namespace fibersql::db
FIBERSQL_PUBLIC_END
