// Misuse: a member the model does not have in the table description (a typo).
#include <string>

#include <fibersql/orm/orm.hpp>
struct thing {
  std::int64_t id = 0;
  std::string username;
};
#ifdef FIBERSQL_MISUSE
FIBERSQL_TABLE(things, thing, (id, auto_increment), (usrname, unique));
#else
FIBERSQL_TABLE(things, thing, (id, auto_increment), (username, unique));
#endif
int main() {
  return static_cast<int>(things.id.info->name.size() % 2);
}
