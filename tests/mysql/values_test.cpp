// Decoding cells a hostile server can send (issue 10): out-of-range TIME and DATETIME text
// and binary cells raise data_error naming the column, with no signed overflow on the way
// (this test also runs under UBSan); zero dates keep their time part in both protocols;
// parameters MySQL cannot store are refused alike for both.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include <fibersql/sql/errors.hpp>

#include "mysql/detail/values.hpp"

namespace fibersql::mysql::detail {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

MYSQL_FIELD field_of(enum_field_types type, unsigned decimals = 0) {
  MYSQL_FIELD f{};
  f.name = const_cast<char*>("when_col");
  f.name_length = 8;
  f.type = type;
  f.decimals = decimals;
  f.charsetnr = 63;
  return f;
}

value text_cell(enum_field_types type, std::string_view text, unsigned decimals = 0) {
  const MYSQL_FIELD f = field_of(type, decimals);
  return from_text(f, text.data(), text.size());
}

void expect_data_error(const std::function<void()>& fn, const std::string& mention) {
  try {
    fn();
    ADD_FAILURE() << "accepted";
  } catch (const data_error& e) {
    EXPECT_NE(std::string(e.what()).find(mention), std::string::npos) << e.what();
  }
}

TEST(mysql_values, hostile_text_times_are_refused_naming_the_column) {
  for (const char* cell : {"9223372036854775807:00:00", "-9223372036854775807:00:00", "839:00:00", "1:60:00", "1:00:60",
                           "4294967296:00:00"}) {
    expect_data_error([&] { text_cell(MYSQL_TYPE_TIME, cell); }, "column 'when_col'");
  }
  EXPECT_EQ(std::get<time_of_day>(text_cell(MYSQL_TYPE_TIME, "-838:59:59.999999")), -(838h + 59min + 59s + 999999us));
}

TEST(mysql_values, hostile_text_datetimes_are_refused_naming_the_column) {
  for (const char* cell :
       {"9223372036854775807-01-01 00:00:00", "2147483648-01-01", "10000-01-01 00:00:00", "2024-13-01 00:00:00",
        "2024-01-32", "2024-01-01 24:00:00", "2024-01-01 00:00:9223372036854775807"}) {
    expect_data_error([&] { text_cell(MYSQL_TYPE_DATETIME, cell); }, "column 'when_col'");
  }
  EXPECT_EQ(std::get<std::string>(text_cell(MYSQL_TYPE_DATETIME, "0000-00-00 10:11:12")), "0000-00-00 10:11:12");
}

MYSQL_TIME wire_time(unsigned y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s, unsigned long us = 0) {
  MYSQL_TIME t{};
  t.year = y, t.month = mo, t.day = d, t.hour = h, t.minute = mi, t.second = s, t.second_part = us;
  return t;
}

TEST(mysql_values, hostile_binary_cells_are_refused_naming_the_column) {
  const MYSQL_FIELD time_f = field_of(MYSQL_TYPE_TIME);
  const MYSQL_FIELD dt_f = field_of(MYSQL_TYPE_DATETIME);
  for (const MYSQL_TIME& t :
       {wire_time(0, 0, 0, 839, 0, 0), wire_time(0, 0, 0, 4294967295u, 0, 0), wire_time(0, 0, 4294967295u, 23, 0, 0),
        wire_time(0, 0, 0, 1, 60, 0), wire_time(0, 0, 0, 1, 0, 0, 1000000)}) {
    expect_data_error([&] { from_mysql_time(t, time_f); }, "column 'when_col'");
  }
  for (const MYSQL_TIME& t :
       {wire_time(4294967295u, 1, 1, 0, 0, 0), wire_time(10000, 1, 1, 0, 0, 0), wire_time(2024, 13, 1, 0, 0, 0),
        wire_time(2024, 1, 1, 24, 0, 0), wire_time(2024, 1, 1, 0, 0, 4294967295u)}) {
    expect_data_error([&] { from_mysql_time(t, dt_f); }, "column 'when_col'");
  }
  EXPECT_EQ(std::get<time_of_day>(from_mysql_time(wire_time(0, 0, 0, 838, 59, 59), time_f)), 838h + 59min + 59s);
}

TEST(mysql_values, binary_zero_dates_keep_their_time_part_like_text) {
  const MYSQL_FIELD dt6 = field_of(MYSQL_TYPE_DATETIME, 6);
  EXPECT_EQ(std::get<std::string>(from_mysql_time(wire_time(0, 0, 0, 10, 11, 12, 5), dt6)),
            "0000-00-00 10:11:12.000005");
  const MYSQL_FIELD dt0 = field_of(MYSQL_TYPE_DATETIME, 0);
  EXPECT_EQ(std::get<std::string>(from_mysql_time(wire_time(2024, 0, 0, 1, 2, 3), dt0)), "2024-00-00 01:02:03");
  const MYSQL_FIELD d = field_of(MYSQL_TYPE_DATE);
  EXPECT_EQ(std::get<std::string>(from_mysql_time(wire_time(0, 0, 0, 0, 0, 0), d)), "0000-00-00");
}

TEST(mysql_values, parameters_mysql_cannot_store_are_refused) {
  for (const value& v : {value(date(year(10000) / 1 / 1)), value(date(year(-1) / 1 / 1)), value(date(2023y / 2 / 29)),
                         value(datetime(sys_days(year(10000) / 1 / 1))), value(time_of_day(839h)),
                         value(time_of_day(-(838h + 59min + 59s + 1000000us)))}) {
    EXPECT_THROW(to_mysql_time(v), data_error);
    EXPECT_THROW(check_mysql_range(v), data_error);
  }
  EXPECT_NO_THROW(to_mysql_time(value(time_of_day(-(838h + 59min + 59s + 999999us)))));
  EXPECT_NO_THROW(to_mysql_time(value(date(year(0) / 1 / 1))));
}

}  // namespace
}  // namespace fibersql::mysql::detail
