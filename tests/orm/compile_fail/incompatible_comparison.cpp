// Misuse: comparing an integer column with a string.
#include "../models.hpp"
int main() {
#ifdef FIBERSQL_MISUSE
  auto q = app::orm::select(app::users).where(app::users.id == "ann");
#else
  auto q = app::orm::select(app::users).where(app::users.id == 1);
#endif
  return static_cast<int>(q.sql(app::orm::sqlite()).text.size() % 2);
}
