// Misuse: an UPDATE of every row without saying all_rows().
#include "../models.hpp"
int main() {
#ifdef FIBERSQL_MISUSE
  auto q = app::orm::update(app::users).set(app::users.login_count = 0);
#else
  auto q = app::orm::update(app::users).set(app::users.login_count = 0).all_rows();
#endif
  return static_cast<int>(q.sql(app::orm::sqlite()).text.size() % 2);
}
