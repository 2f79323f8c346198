// Parsing of the server's version string (mysql_get_server_info).
#include <fibersql/sql/server_info.hpp>

namespace fibersql {
namespace {
int number(std::string_view& s) noexcept {
  int n = 0;
  while (!s.empty() && s.front() >= '0' && s.front() <= '9') {
    n = n * 10 + (s.front() - '0');
    s.remove_prefix(1);
  }
  return n;
}
}  // namespace

server_info parse_server_info(std::string_view text) noexcept {
  server_info out;
  const bool maria = text.find("MariaDB") != std::string_view::npos;
  out.flavor = maria ? server_flavor::mariadb : server_flavor::mysql;
  if (maria && text.substr(0, 6) == "5.5.5-") text.remove_prefix(6);  // replication-compatible prefix
  int* parts[] = {&out.major, &out.minor, &out.patch};
  for (int* p : parts) {
    *p = number(text);
    if (text.empty() || text.front() != '.') break;
    text.remove_prefix(1);
  }
  return out;
}

}  // namespace fibersql
