// fibersql::fibersql and the umbrella header: every layer, the MySQL one included.
#include <fibersql/fibersql.hpp>

int main() {
  // Each of these names comes from a different layer; the umbrella must declare them all.
  [[maybe_unused]] auto parse = &fibersql::mysql::parse_url;
  [[maybe_unused]] auto open_sqlite = &fibersql::sqlite::connection::open;
  [[maybe_unused]] auto make_db = [](std::string_view url) { return fibersql::pool::make_database(url); };
  [[maybe_unused]] fibersql::mysql::connection* mysql = nullptr;
  [[maybe_unused]] fibersql::db::database* database = nullptr;
  static_assert(FIBERSQL_VERSION >= 100, "the generated <fibersql/version.hpp> is installed");
  return std::string_view(FIBERSQL_VERSION_STRING).empty() ? 1 : fibersql::run([] { return 0; });
}
