// connection_claim: one fiber at a time, a second one told who holds it; broken stays broken.
#include <fibersql/sql/detail/connection_claim.hpp>

#include <string>

#include <gtest/gtest.h>

#include <fibersql/sql/errors.hpp>

namespace fibersql::detail {
namespace {

std::string message_of(auto&& f) {
  try {
    f();
  } catch (const interface_error& e) {
    return e.what();
  }
  return "";
}

TEST(connection_claim, a_second_fiber_is_told_who_holds_it_and_what_it_runs) {
  connection_claim c("Testdb");
  c.check_free(7, "worker", "query");
  c.take(7, "worker", "query");
  EXPECT_TRUE(c.held());
  EXPECT_NO_THROW(c.check_free(7, "worker", "ping")) << "the holder may go on";
  EXPECT_THROW(c.check_free(9, "other", "ping"), concurrent_use_error);
  const std::string what = message_of([&] { c.check_free(9, "other", "ping"); });
  EXPECT_NE(what.find("one Testdb connection"), std::string::npos) << what;
  EXPECT_NE(what.find("fiber 7 'worker' is running query"), std::string::npos) << what;
  EXPECT_NE(what.find("fiber 9 'other' called ping"), std::string::npos) << what;
  c.drop();
  EXPECT_FALSE(c.held());
  EXPECT_NO_THROW(c.check_free(9, "other", "ping"));
}

TEST(connection_claim, a_stream_read_by_another_fiber_names_both) {
  connection_claim c("Testdb");
  c.take(3, "", "stream");
  EXPECT_NO_THROW(c.check_holder(3, "", "row stream", "next"));
  const std::string what = message_of([&] { c.check_holder(4, "reader", "row stream", "next"); });
  EXPECT_EQ(what, "row stream opened by fiber 3 read by fiber 4 'reader' (next)");
}

TEST(connection_claim, broken_is_reported_once_as_new_and_refuses_every_later_use) {
  connection_claim c("Testdb");
  EXPECT_NO_THROW(c.check_not_broken("query"));
  EXPECT_TRUE(c.mark_broken());
  EXPECT_FALSE(c.mark_broken()) << "only the first interruption is news";
  EXPECT_TRUE(c.broken());
  const std::string what = message_of([&] { c.check_not_broken("query"); });
  EXPECT_NE(what.find("query on a broken Testdb connection"), std::string::npos) << what;
  c.forget_holder();
  EXPECT_TRUE(c.broken()) << "forgetting the holder does not mend it";
}

}  // namespace
}  // namespace fibersql::detail
