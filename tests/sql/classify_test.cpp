#include <fibersql/sql/classify.hpp>
#include <fibersql/sql/errors.hpp>

#include <gtest/gtest.h>

namespace fibersql {
namespace {

TEST(classify, sqlstate_classes_pick_the_dbapi_class) {
  EXPECT_EQ(kind_from_sqlstate("08S01"), error_kind::operational);
  EXPECT_EQ(kind_from_sqlstate("23000"), error_kind::integrity);
  EXPECT_EQ(kind_from_sqlstate("42S02"), error_kind::programming);
  EXPECT_EQ(kind_from_sqlstate("22003"), error_kind::data);
  EXPECT_EQ(kind_from_sqlstate("0A000"), error_kind::not_supported);
  EXPECT_EQ(kind_from_sqlstate("40001"), error_kind::operational);
  EXPECT_EQ(kind_from_sqlstate("HY000"), error_kind::operational);
  EXPECT_EQ(kind_from_sqlstate("XX000"), error_kind::internal);
  EXPECT_EQ(kind_from_sqlstate("45000"), error_kind::database);  // user SIGNAL
  EXPECT_EQ(kind_from_sqlstate(""), error_kind::operational);    // counts as HY000
  EXPECT_EQ(kind_from_sqlstate("23"), error_kind::operational);  // malformed: HY000
}

TEST(classify, the_code_table_wins_over_the_sqlstate) {
  EXPECT_EQ(classify(error_kind::integrity, "HY000"), error_kind::integrity);
  EXPECT_EQ(classify(error_kind::unknown, "42000"), error_kind::programming);
}

TEST(classify, throw_classified_throws_the_class_with_code_state_and_message) {
  try {
    throw_classified(1062, "23000", "Duplicate entry '1' for key 'PRIMARY'");
    FAIL() << "did not throw";
  } catch (const integrity_error& e) {
    EXPECT_EQ(e.code(), 1062u);
    EXPECT_EQ(e.sqlstate(), "23000");
    EXPECT_STREQ(e.what(), "Duplicate entry '1' for key 'PRIMARY'");
    EXPECT_FALSE(e.poisons_connection());
  }
  EXPECT_THROW(throw_classified(2013, "HY000", "Lost connection"), operational_error);
  EXPECT_THROW(throw_classified(1, "", "x", error_kind::interface), interface_error);
  EXPECT_THROW(throw_classified(1, "", "x", error_kind::concurrent_use), concurrent_use_error);
  EXPECT_THROW(throw_classified(1, "", "x", error_kind::pool_timeout), pool_timeout);
  EXPECT_THROW(throw_classified(1, "", "x", error_kind::not_supported), not_supported_error);
  EXPECT_THROW(throw_classified(1, "", "x", error_kind::internal), internal_error);
  EXPECT_THROW(throw_classified(1, "", "x", error_kind::data), data_error);
  EXPECT_THROW(throw_classified(1, "", "x", error_kind::programming), programming_error);
}

TEST(classify, operational_errors_poison_and_pool_timeout_does_not) {
  try {
    throw_classified(2006, "HY000", "MySQL server has gone away");
  } catch (const error& e) {
    EXPECT_TRUE(e.poisons_connection());
    EXPECT_STREQ(kind_name(classify(error_kind::unknown, e.sqlstate())), "operational_error");
  }
  EXPECT_FALSE(pool_timeout(0, "HY000", "t").poisons_connection());
}

TEST(classify, a_missing_sqlstate_reads_as_hy000) {
  EXPECT_EQ(database_error(5, "", "m").sqlstate(), "HY000");
  EXPECT_EQ(database_error(5, "bad", "m").sqlstate(), "HY000");
  try {
    throw_classified(99, "45000", "custom", error_kind::unknown);
  } catch (const data_error&) {
    FAIL() << "45000 is not a data exception";
  } catch (const database_error& e) {
    EXPECT_EQ(e.sqlstate(), "45000");
  }
}

}  // namespace
}  // namespace fibersql
