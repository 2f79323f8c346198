// MySQL's URL schemes for the database layer's registry: mysql_url_schemes ("mysql://",
// "mariadb://"). Registered by src/mysql/CMakeLists.txt (fibersql_add_url_backend).
#include <string>
#include <vector>

#include <fibersql/export.hpp>
#include <fibersql/mysql/mysql_connection.hpp>
#include <fibersql/mysql/options.hpp>
#include <fibersql/mysql/redact.hpp>
#include <fibersql/sql/url_scheme.hpp>

namespace fibersql {
namespace {

// Keeps the URL; each open parses it and connects (as mysql_connection::open(url) does).
class mysql_opener final : public url_opener {
 public:
  explicit mysql_opener(std::string_view url) : url_(url) {}
  std::unique_ptr<connection> open() override { return mysql_connection::open(url_); }
  std::string describe() const override { return redact_url(url_); }

 private:
  std::string url_;
};

}  // namespace

// mysql_url_schemes_for_db: one url_scheme per entry of mysql_url_schemes.
// Exported: db's generated registration file calls it across the shared-library boundary.
FIBERSQL_API std::vector<url_scheme> mysql_url_schemes_for_db() {
  std::vector<url_scheme> out;
  for (std::string_view prefix : mysql_url_schemes) {
    out.push_back({std::string(prefix), [](std::string_view url) -> std::unique_ptr<url_opener> {
                     return std::make_unique<mysql_opener>(url);
                   }});
  }
  return out;
}

}  // namespace fibersql
