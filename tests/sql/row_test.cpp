#include <fibersql/sql/errors.hpp>
#include <fibersql/sql/row.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <memory>

namespace fibersql {
namespace {

using namespace std::chrono;
using namespace std::string_literals;

row make_row(std::vector<std::string> names, std::vector<value> values) {
  return row(std::make_shared<const column_names>(std::move(names)), std::move(values));
}

// The data_error message a failed get<> produced, or "" if it did not throw.
template <class T>
std::string error_of(const row& r, std::string_view column) {
  try {
    (void)r.get<T>(column);
  } catch (const data_error& e) {
    EXPECT_EQ(e.sqlstate(), "22000");
    return e.what();
  }
  return "";
}

TEST(row, access_by_index_and_name) {
  const row r = make_row({"id", "name"}, {std::int64_t{7}, "ann"s});
  EXPECT_EQ(r.size(), 2u);
  EXPECT_EQ(r.get<int>(0), 7);
  EXPECT_EQ(r.get<std::string>("name"), "ann");
  EXPECT_EQ(r.get<int>("ID"), 7) << "falls back to a case-insensitive match";
  EXPECT_EQ(r.index_of("name"), 1u);
  EXPECT_FALSE(r.is_null(0));
}

TEST(row, unknown_columns_name_what_exists) {
  const row r = make_row({"id", "name"}, {std::int64_t{7}, "ann"s});
  try {
    (void)r.at("email");
    FAIL();
  } catch (const interface_error& e) {
    EXPECT_STREQ(e.what(), "no column named 'email' in the result (columns: id, name)");
  }
  try {
    (void)r.at(5);
    FAIL();
  } catch (const interface_error& e) {
    EXPECT_STREQ(e.what(), "column index 5 is out of range: the row has 2 columns (id, name)");
  }
}

TEST(row, null_reads_as_nullopt_and_fails_for_plain_types) {
  const row r = make_row({"email"}, {null});
  EXPECT_TRUE(r.is_null(0));
  EXPECT_EQ(r.get<std::optional<std::string>>("email"), std::nullopt);
  EXPECT_EQ(error_of<std::string>(r, "email"),
            "column 'email' (index 0) holds null, which cannot be read as std::string; read it "
            "as std::optional<...> if the column may be NULL");
  const row some = make_row({"n"}, {std::int64_t{3}});
  EXPECT_EQ(some.get<std::optional<int>>(0), 3);
}

TEST(row, integers_convert_between_widths_only_when_they_fit) {
  const row r = make_row({"big", "neg", "huge", "small"},
                         {std::int64_t{3'000'000'000}, std::int64_t{-1},
                          std::uint64_t{std::numeric_limits<std::uint64_t>::max()}, std::uint64_t{42}});
  EXPECT_EQ(r.get<std::int64_t>("big"), 3'000'000'000);
  EXPECT_EQ(r.get<unsigned>("big"), 3'000'000'000u);
  EXPECT_EQ(r.get<std::int64_t>("small"), 42);
  EXPECT_EQ(r.get<int>("small"), 42);
  EXPECT_EQ(r.get<std::uint64_t>("huge"), std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(error_of<int>(r, "big"),
            "column 'big' (index 0) holds int64 3000000000, which cannot be read as int "
            "(range -2147483648..2147483647)");
  EXPECT_EQ(error_of<std::uint64_t>(r, "neg"),
            "column 'neg' (index 1) holds int64 -1, which cannot be read as uint64 "
            "(range 0..18446744073709551615)");
  EXPECT_EQ(error_of<unsigned>(r, "neg"),
            "column 'neg' (index 1) holds int64 -1, which cannot be read as unsigned "
            "(range 0..4294967295)");
  EXPECT_NE(error_of<std::int64_t>(r, "huge"), "");
}

TEST(row, bool_and_integers_interconvert_and_ints_widen_to_double) {
  const row r = make_row({"flag", "n", "two", "x"}, {true, std::int64_t{0}, std::int64_t{2}, 2.5});
  EXPECT_EQ(r.get<int>("flag"), 1);
  EXPECT_FALSE(r.get<bool>("n"));
  EXPECT_TRUE(r.get<bool>("two")) << "non-zero is true, as peewee's BooleanField reads it";
  EXPECT_DOUBLE_EQ(r.get<double>("two"), 2.0);
  EXPECT_DOUBLE_EQ(r.get<double>("x"), 2.5);
  EXPECT_EQ(error_of<int>(r, "x"), "column 'x' (index 3) holds double 2.5, which cannot be read as int");
  EXPECT_NE(error_of<bool>(r, "x"), "");
}

TEST(row, text_is_never_parsed_as_a_number) {
  const row r = make_row({"s"}, {"42"s});
  EXPECT_EQ(error_of<int>(r, "s"),
            "column 's' (index 0) holds string \"42\", which cannot be read as int; text is "
            "never parsed implicitly");
  EXPECT_NE(error_of<double>(r, "s"), "");
  EXPECT_NE(error_of<bool>(r, "s"), "");
  const row n = make_row({"n"}, {std::int64_t{42}});
  EXPECT_EQ(error_of<std::string>(n, "n"), "column 'n' (index 0) holds int64 42, which cannot be read as std::string");
}

TEST(row, string_and_bytes_interconvert) {
  const row r = make_row({"s", "b"}, {"a\0b"s, bytes{"\x01\x02"s}});
  EXPECT_EQ(r.get<bytes>("s"), bytes{"a\0b"s});
  EXPECT_EQ(r.get<std::string>("b"), "\x01\x02"s);
}

TEST(row, take_moves_strings_and_bytes_out_and_converts_the_rest_as_get) {
  const std::string long_text(200, 'x');  // past the small-string buffer: a real heap move
  row r = make_row({"s", "b", "n", "i", "sb"}, {long_text, bytes{long_text}, value{}, std::int64_t{5}, "as bytes"s});
  const char* heap = std::get<std::string>(r.at(0)).data();
  const std::string s = r.take<std::string>(0);
  EXPECT_EQ(s, long_text);
  EXPECT_EQ(s.data(), heap) << "moved, not copied";
  EXPECT_EQ(r.get<std::string>(0), "") << "the row keeps an empty value";
  EXPECT_EQ(r.take<bytes>(1), bytes{long_text});
  EXPECT_EQ(r.take<std::optional<std::string>>(2), std::nullopt);
  EXPECT_EQ(r.take<std::optional<std::string>>(4), "as bytes"s);
  EXPECT_EQ(r.take<int>(3), 5);
  EXPECT_THROW((void)r.take<std::string>(3), data_error) << "a mismatch is still a mismatch";
  EXPECT_THROW((void)r.take<std::string>(2), data_error) << "NULL into a plain string";
  EXPECT_THROW((void)r.take<std::string>(9), interface_error);
}

TEST(row, dates_read_from_their_type_or_from_iso_text) {
  const date d = 2024y / February / 29;
  const datetime t = sys_days{d} + 13h + 5min + 7s + 250us;
  const row r = make_row(
      {"d", "t", "tod", "ds", "ts", "tods", "bad"},
      {d, t, time_of_day{-(838h + 59min)}, "2024-02-29"s, "2024-02-29T13:05:07.00025"s, "-838:59:00"s, "2024-02-30"s});
  EXPECT_EQ(r.get<date>("d"), d);
  EXPECT_EQ(r.get<datetime>("t"), t);
  EXPECT_EQ(r.get<time_of_day>("tod"), -(838h + 59min));
  EXPECT_EQ(r.get<date>("ds"), d);
  EXPECT_EQ(r.get<datetime>("ts"), t);
  EXPECT_EQ(r.get<time_of_day>("tods"), -(838h + 59min));
  EXPECT_EQ(error_of<date>(r, "bad"),
            "column 'bad' (index 6) holds string \"2024-02-30\", which cannot be read as date "
            "(YYYY-MM-DD); the text is not in that format");
  EXPECT_NE(error_of<date>(r, "t"), "") << "a datetime is not silently cut to a date";
  EXPECT_NE(error_of<datetime>(r, "d"), "");
}

TEST(row, a_row_without_names_still_reports_the_index) {
  const row r(std::make_shared<const column_names>(), {2.5});
  try {
    (void)r.get<int>(0);
    FAIL();
  } catch (const data_error& e) {
    EXPECT_STREQ(e.what(), "column 0 holds double 2.5, which cannot be read as int");
  }
}

}  // namespace
}  // namespace fibersql
