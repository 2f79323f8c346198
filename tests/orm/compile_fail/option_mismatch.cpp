// Misuse: an option that does not fit its member (auto_increment on a string).
#include <string>

#include <fibersql/orm/orm.hpp>
struct thing {
  std::int64_t id = 0;
  std::string name;
};
#ifdef FIBERSQL_MISUSE
FIBERSQL_TABLE(things, thing, (id, auto_increment), (name, auto_increment));
#else
FIBERSQL_TABLE(things, thing, (id, auto_increment), (name, max_length(20)));
#endif
int main() {
  return static_cast<int>(things.name.info->name.size() % 2);
}
