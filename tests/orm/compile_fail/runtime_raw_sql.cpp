// Misuse: a string built at run time as a raw SQL fragment.
#include <string>

#include "../models.hpp"
int main(int argc, char** argv) {
  std::string input = argc > 1 ? argv[1] : "1 = 1";
#ifdef FIBERSQL_MISUSE
  auto cond = app::orm::sql<bool>(input);
#else
  auto cond = app::orm::sql<bool>("1 = 1");
#endif
  auto q = app::orm::select(app::users.id).where(cond);
  return static_cast<int>(q.sql(app::orm::sqlite()).text.size() % 2) + static_cast<int>(input.size() % 2);
}
