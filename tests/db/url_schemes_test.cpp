// The URL scheme registry: the linked backends are in it before the first lookup, a program
// can add a backend, and an unknown scheme names the registered ones without the URL's secret.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>

#include <fibersql/db/database.hpp>
#include <fibersql/db/url_schemes.hpp>
#include <fibersql/runtime/runtime.hpp>
#include <fibersql/sql/errors.hpp>
#include <fibersql/sqlite/connection.hpp>

namespace fibersql::db {
namespace {

bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

TEST(url_schemes, the_linked_backends_are_registered_before_the_first_lookup) {
  const auto prefixes = registered_url_prefixes();
  EXPECT_TRUE(contains(prefixes, "mysql://"));
  EXPECT_TRUE(contains(prefixes, "mariadb://"));
  EXPECT_TRUE(contains(prefixes, "sqlite://"));
  EXPECT_TRUE(contains(prefixes, "sqlite::memory:"));
}

TEST(url_schemes, an_unknown_scheme_lists_the_registered_ones_and_hides_what_follows_the_colon) {
  try {
    database d{"postgres://app:Zq7Kx9Vw@db/prod"};
    FAIL() << "postgres:// has no backend";
  } catch (const interface_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("'postgres:...'"), std::string::npos) << what;
    EXPECT_NE(what.find("mysql://"), std::string::npos) << what;
    EXPECT_NE(what.find("sqlite::memory:"), std::string::npos) << what;
    EXPECT_EQ(what.find("Zq7Kx9Vw"), std::string::npos) << what;
  }
}

// A "backend" of its own: another prefix for a shared in-memory SQLite database (a real
// connection), counting its opens.
int test_opens = 0;

class test_opener final : public url_opener {
 public:
  explicit test_opener(std::string url) : url_(std::move(url)) {}
  std::unique_ptr<connection> open() override {
    ++test_opens;
    return sqlite::connection::open_shared_memory("url_schemes_test");
  }
  std::string describe() const override { return url_; }

 private:
  std::string url_;
};

TEST(url_schemes, a_backend_can_register_itself_and_the_database_opens_through_it) {
  register_url_scheme(
      {"testdb:", [](std::string_view url) { return std::make_unique<test_opener>(std::string(url)); }});
  EXPECT_TRUE(contains(registered_url_prefixes(), "testdb:"));
  fibersql::run([] {
    database d{"testdb:anything"};
    EXPECT_EQ(d.query("SELECT 41 + 1").rows.at(0).get<std::int64_t>(0), 42);
    d.close();
  });
  EXPECT_EQ(test_opens, 1);
}

TEST(url_schemes, a_prefix_is_registered_once) {
  EXPECT_THROW(register_url_scheme({"mysql://", [](std::string_view) -> std::unique_ptr<url_opener> { return {}; }}),
               std::invalid_argument);
  EXPECT_THROW(register_url_scheme({"", [](std::string_view) -> std::unique_ptr<url_opener> { return {}; }}),
               std::invalid_argument);
  EXPECT_THROW(register_url_scheme({"nomake:", {}}), std::invalid_argument);
}

TEST(url_schemes, sqlite_urls_without_a_path_are_refused_by_the_backend) {
  EXPECT_THROW(database{"sqlite://"}, interface_error);
  EXPECT_THROW(database{"sqlite::memory:extra"}, interface_error);
}

}  // namespace
}  // namespace fibersql::db
