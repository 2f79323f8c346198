// Misuse: max_length on an integer member.
#include <fibersql/orm/orm.hpp>
struct thing {
  std::int64_t id = 0;
  std::int64_t count = 0;
};
#ifdef FIBERSQL_MISUSE
FIBERSQL_TABLE(things, thing, (id, auto_increment), (count, max_length(20)));
#else
FIBERSQL_TABLE(things, thing, (id, auto_increment), (count, default_value(0)));
#endif
int main() {
  return static_cast<int>(things.count.info->name.size() % 2);
}
