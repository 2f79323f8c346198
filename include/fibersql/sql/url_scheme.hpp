#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// What a backend tells the database layer about the URLs it accepts (Go's driver.Driver):
// a URL prefix and how to turn such a URL into something that opens connections. A backend
// provides these; db's registry (db/url_schemes.hpp) picks one by prefix, so db names no
// backend.
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include <fibersql/sql/connection.hpp>

namespace fibersql {

// url_opener: one URL as a backend understood it; opens connections to it.
class url_opener {
 public:
  virtual ~url_opener() = default;
  // open: a new connection. Throws: as the backend's open (operational_error, interface_error).
  virtual std::unique_ptr<connection> open() = 0;
  // describe: the URL for stats and errors, any secret masked.
  virtual std::string describe() const = 0;
};

// url_scheme: URLs that start with `prefix` belong to the backend; `make` checks one such URL
// and returns its opener (it may open what must live as long as the opener, e.g. the anchor
// of an in-memory database). `make` throws interface_error for a URL it cannot use.
struct url_scheme {
  std::string prefix;  // "mysql://", "sqlite::memory:"; matched at the start of the URL
  std::function<std::unique_ptr<url_opener>(std::string_view url)> make;
};

}  // namespace fibersql
FIBERSQL_PUBLIC_END
