// Misuse: a DELETE of every row without saying all_rows().
#include "../models.hpp"
int main() {
#ifdef FIBERSQL_MISUSE
  auto q = app::orm::delete_from(app::tweets);
#else
  auto q = app::orm::delete_from(app::tweets).where(app::tweets.id == 1);
#endif
  return static_cast<int>(q.sql(app::orm::mysql()).text.size() % 2);
}
