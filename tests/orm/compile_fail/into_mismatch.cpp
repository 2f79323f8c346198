// Misuse: into<S>() with an S that cannot be built from the selected values in order.
#include <string>

#include "../models.hpp"
struct name_only {
  std::string name;
};
int main() {
#ifdef FIBERSQL_MISUSE
  auto q = app::orm::select(app::users.id, app::users.username).into<name_only>();  // int64 first
#else
  auto q = app::orm::select(app::users.username).into<name_only>();
#endif
  return static_cast<int>(q.sql(app::orm::sqlite()).text.size() % 2);
}
