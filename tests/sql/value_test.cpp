// What a user passes as a parameter: every C++ type with an obvious SQL meaning becomes the
// matching value (nullptr and nullopt are NULL); compile_fail/ pins the error for the rest.
#include <fibersql/sql/errors.hpp>
#include <fibersql/sql/row.hpp>
#include <fibersql/sql/value.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace fibersql {
namespace {

using namespace std::chrono;
using namespace std::string_literals;

enum class colour : unsigned char { red = 3 };
enum legacy { legacy_seven = 7 };

template <class T>
bool holds(const value& v) {
  return std::holds_alternative<T>(v);
}

TEST(value, null_from_nullptr_nullopt_and_empty_optional) {
  EXPECT_TRUE(holds<std::monostate>(value{nullptr}));
  EXPECT_TRUE(holds<std::monostate>(value{std::nullopt}));
  EXPECT_TRUE(holds<std::monostate>(value{std::optional<int>{}}));
  EXPECT_TRUE(holds<std::monostate>(value{}));
  const char* no_text = nullptr;
  EXPECT_TRUE(holds<std::monostate>(value{no_text})) << "a null const char* is NULL, not a crash";
}

TEST(value, integers_enums_and_floating_point) {
  EXPECT_EQ(std::get<std::int64_t>(value{7u}), 7);
  EXPECT_EQ(std::get<std::int64_t>(value{7LL}), 7);
  EXPECT_EQ(std::get<std::int64_t>(value{short{-2}}), -2);
  EXPECT_EQ(std::get<std::uint64_t>(value{18446744073709551615ULL}), 18446744073709551615ULL);
  EXPECT_EQ(std::get<std::int64_t>(value{colour::red}), 3);
  EXPECT_EQ(std::get<std::int64_t>(value{legacy_seven}), 7);
  EXPECT_EQ(std::get<double>(value{1.5f}), 1.5);
  EXPECT_EQ(std::get<bool>(value{true}), true);
  EXPECT_EQ(std::get<std::int64_t>(value{std::optional<unsigned>{9u}}), 9);
}

TEST(value, text_from_every_string_form) {
  const std::string_view view = "view";
  const char array[] = "array";
  EXPECT_EQ(std::get<std::string>(value{view}), "view");
  EXPECT_EQ(std::get<std::string>(value{array}), "array");
  EXPECT_EQ(std::get<std::string>(value{"literal"}), "literal");
  EXPECT_EQ(std::get<std::string>(value{"owned"s}), "owned");
  EXPECT_EQ(std::get<std::string>(value{std::optional<std::string_view>{"opt"}}), "opt");
}

TEST(value, time_points_days_and_durations) {
  const sys_time<nanoseconds> t = sys_days{2024y / 2 / 29} + 12h + 1ns + 2us;
  EXPECT_EQ(std::get<datetime>(value{t}), sys_days{2024y / 2 / 29} + 12h + 2us) << "microseconds kept";
  const system_clock::time_point now = system_clock::now();
  EXPECT_EQ(std::get<datetime>(value{now}), floor<microseconds>(now));
  const sys_time<microseconds> before_1970 = sys_days{1969y / 12 / 31} + 1us;
  EXPECT_EQ(std::get<datetime>(value{sys_time<nanoseconds>(before_1970) + 500ns}), before_1970)
      << "floor, not truncation toward 1970";
  EXPECT_EQ(std::get<date>(value{sys_days{2024y / 1 / 2}}), 2024y / 1 / 2);
  EXPECT_EQ(std::get<time_of_day>(value{90s}), 90'000'000us);
}

TEST(value, initializer_lists_mix_them) {
  const std::initializer_list<value> params{nullptr, 1u, "x", std::nullopt, 2.5f, colour::red};
  EXPECT_EQ(params.size(), 6u);
  EXPECT_TRUE(holds<std::monostate>(*params.begin()));
}

TEST(row, get_long_long_float_and_short) {
  const row r(std::make_shared<const column_names>(column_names{"n", "f"}), {std::int64_t{40000}, 0.25});
  EXPECT_EQ(r.get<long long>("n"), 40000LL);
  EXPECT_EQ(r.get<unsigned long long>(0), 40000ULL);
  EXPECT_EQ(r.get<float>("f"), 0.25f);
  EXPECT_THROW((void)r.get<short>("n"), data_error) << "40000 does not fit short";
}

}  // namespace
}  // namespace fibersql
