// MySQL's URL schemes for the database layer's registry: url_prefixes ("mysql://",
// "mariadb://"). Registered by src/mysql/CMakeLists.txt (fibersql_add_url_backend).
#include <string>
#include <vector>

#include <fibersql/export.hpp>
#include <fibersql/mysql/connection.hpp>
#include <fibersql/mysql/options.hpp>
#include <fibersql/mysql/redact.hpp>
#include <fibersql/sql/url_scheme.hpp>

namespace fibersql::mysql {
namespace {

// Keeps the URL; each open parses it and connects (as connection::open(url) does).
class mysql_opener final : public url_opener {
 public:
  explicit mysql_opener(std::string_view url) : url_(url) {}
  std::unique_ptr<fibersql::connection> open() override { return connection::open(url_); }
  std::string describe() const override { return redact_url(url_); }

 private:
  std::string url_;
};

}  // namespace

// url_schemes: one url_scheme per entry of url_prefixes.
// Exported: db's generated registration file calls it across the shared-library boundary.
FIBERSQL_API std::vector<url_scheme> url_schemes() {
  std::vector<url_scheme> out;
  for (std::string_view prefix : url_prefixes) {
    out.push_back({std::string(prefix), [](std::string_view url) -> std::unique_ptr<url_opener> {
                     return std::make_unique<mysql_opener>(url);
                   }});
  }
  return out;
}

}  // namespace fibersql::mysql
