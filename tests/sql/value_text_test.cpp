#include <fibersql/sql/errors.hpp>
#include <fibersql/sql/value_text.hpp>

#include <gtest/gtest.h>

namespace fibersql {
namespace {

using namespace std::chrono;
using namespace std::string_literals;

TEST(value_text, formats_iso_8601) {
  EXPECT_EQ(format_date(2024y / January / 5), "2024-01-05");
  EXPECT_EQ(format_date(0y / January / 1), "0000-01-01");
  const datetime t = sys_days{1999y / December / 31} + 23h + 59min + 59s;
  EXPECT_EQ(format_datetime(t), "1999-12-31 23:59:59");
  EXPECT_EQ(format_datetime(t + 1us), "1999-12-31 23:59:59.000001");
  EXPECT_EQ(format_datetime(sys_days{1960y / March / 1} + 1h + 500ms), "1960-03-01 01:00:00.500000");
  EXPECT_EQ(format_time(time_of_day{0}), "00:00:00");
  EXPECT_EQ(format_time(-(838h + 59min + 59s)), "-838:59:59");
  EXPECT_EQ(format_time(1h + 2min + 3s + 4us), "01:02:03.000004");
}

TEST(value_text, refuses_years_without_a_four_digit_form) {
  EXPECT_THROW((void)format_date(10000y / January / 1), data_error);
  EXPECT_THROW((void)format_date(2023y / February / 29), data_error);
  EXPECT_THROW((void)format_datetime(sys_days{-1y / January / 1}), data_error);
}

TEST(value_text, parses_what_it_formats_and_nothing_looser) {
  EXPECT_EQ(parse_date("2024-02-29"), 2024y / February / 29);
  EXPECT_EQ(parse_date("2023-02-29"), std::nullopt);
  EXPECT_EQ(parse_date("2024-2-29"), std::nullopt);
  EXPECT_EQ(parse_date("2024-02-29 "), std::nullopt);
  EXPECT_EQ(parse_date(""), std::nullopt);
  const datetime t = sys_days{2024y / February / 29} + 1h + 2min + 3s;
  EXPECT_EQ(parse_datetime("2024-02-29 01:02:03"), t);
  EXPECT_EQ(parse_datetime("2024-02-29T01:02:03.5"), t + 500ms);
  EXPECT_EQ(parse_datetime("2024-02-29 01:02"), t - 3s);
  EXPECT_EQ(parse_datetime("2024-02-29"), sys_days{2024y / February / 29});
  EXPECT_EQ(parse_datetime("2024-02-29 24:00:00"), std::nullopt);
  EXPECT_EQ(parse_datetime("2024-02-29 01:02:03.1234567"), std::nullopt);
  EXPECT_EQ(parse_datetime("2024-02-29 01:02:03Z"), std::nullopt);
  EXPECT_EQ(parse_time("838:59:59"), 838h + 59min + 59s);
  EXPECT_EQ(parse_time("-00:00:01.000001"), -(1s + 1us));
  EXPECT_EQ(parse_time("12:60"), std::nullopt);
  EXPECT_EQ(parse_time("abc"), std::nullopt);
}

TEST(value_text, round_trips) {
  const datetime t = sys_days{1970y / January / 1} - 1us;
  EXPECT_EQ(parse_datetime(format_datetime(t)), t);
  const time_of_day tod = -(25h + 1us);
  EXPECT_EQ(parse_time(format_time(tod)), tod);
}

TEST(value_text, describe_names_type_and_value) {
  EXPECT_EQ(describe(null), "null");
  EXPECT_EQ(describe(true), "bool true");
  EXPECT_EQ(describe(std::int64_t{-5}), "int64 -5");
  EXPECT_EQ(describe(std::uint64_t{5}), "uint64 5");
  EXPECT_EQ(describe(0.1), "double 0.10000000000000001");
  EXPECT_EQ(describe("a\"b\\c\0\n"s), R"(string "a\"b\\c\x00\x0a")");
  EXPECT_EQ(describe(std::string(100, 'x')), "string \"" + std::string(60, 'x') + "\"... (100 bytes)");
  EXPECT_EQ(describe(bytes{"abc"}), "bytes (3 bytes)");
  EXPECT_EQ(describe(2024y / May / 1), "date 2024-05-01");
  EXPECT_EQ(describe(time_of_day{90s}), "time_of_day 00:01:30");
  EXPECT_EQ(describe(datetime{sys_days{10000y / January / 1}}), "datetime (outside year 0000..9999)");
}

}  // namespace
}  // namespace fibersql
