// fibersql::mysql alone: parse a URL (connecting needs a server; the README example does).
#include <fibersql/mysql/mysql.hpp>

int main() {
  const auto o = fibersql::mysql::parse_url("mariadb://app:secret@db.example:3307/shop?read_timeout=5");
  const bool ok =
      o.user == "app" && o.port == 3307 && o.database == "shop" && redacted_url(o).find("secret") == std::string::npos;
  return ok ? 0 : 1;
}
