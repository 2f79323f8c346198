// A pool belongs to one hub: its state has no lock, and its maintenance fiber runs on the hub
// of the first borrower. A fiber of a second hub acquiring while the first hub still serves gets
// misuse_error (not a data race); once the first hub has ended, another hub may take the pool.
#include <gtest/gtest.h>

#include <future>
#include <string>

#include <fibersql/db/database.hpp>
#include <fibersql/pool/pool.hpp>
#include <fibersql/runtime/errors.hpp>
#include <fibersql/runtime/runtime.hpp>
#include <fibersql/sqlite/connection.hpp>

namespace fibersql::pool {
namespace {

connection_factory shared_memory(const std::string& name) {
  return [name]() -> std::unique_ptr<connection> { return sqlite::connection::open_shared_memory(name); };
}

// on: runs `fn` in a fiber of `h` and returns what it said ("ok" or the misuse message).
std::string on(hub_thread& h, connection_pool& pool) {
  std::promise<std::string> said;
  h.get().post([&] {
    try {
      pooled_connection c = pool.acquire();
      said.set_value("ok");
    } catch (const misuse_error& e) {
      said.set_value(e.what());
    }
  });
  return said.get_future().get();
}

TEST(pool_hub_affinity, a_second_hub_gets_misuse_error_while_the_first_serves) {
  connection_pool pool(shared_memory("affinity"), {.max_open = 2, .name = "orders"});
  {
    hub_thread first, second;
    EXPECT_EQ(on(first, pool), "ok");
    const std::string second_said = on(second, pool);
    EXPECT_NE(second_said, "ok");
    EXPECT_NE(second_said.find("pool 'orders'"), std::string::npos) << second_said;
    EXPECT_NE(second_said.find("another hub"), std::string::npos) << second_said;
    EXPECT_EQ(on(first, pool), "ok");  // the owner still may
  }
  // Both hubs have ended (the maintenance fiber with them): a new hub may use the pool.
  run([&] { pooled_connection c = pool.acquire(); });
}

// The same through pool::make_database: one pooled database shared by two hubs is refused.
TEST(pool_hub_affinity, a_pooled_database_shared_across_hubs_is_refused) {
  db::database shared = make_database("sqlite::memory:", {.max_open = 2, .name = "shared"});
  auto query_on = [&](hub_thread& h) {
    std::promise<std::string> said;
    h.get().post([&] {
      try {
        shared.query("SELECT 1");
        shared.close();  // give the connection back, as a request fiber's end would
        said.set_value("ok");
      } catch (const misuse_error& e) {
        said.set_value(e.what());
      }
    });
    return said.get_future().get();
  };
  hub_thread first, second;
  EXPECT_EQ(query_on(first), "ok");
  const std::string second_said = query_on(second);
  EXPECT_NE(second_said.find("another hub"), std::string::npos) << second_said;
}

}  // namespace
}  // namespace fibersql::pool
