// detail::for_each_url_option and percent_decode: the one reading of "?name=value&..." that
// the MySQL and SQLite URL parsers share.
#include <fibersql/sql/detail/url_query.hpp>

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace fibersql::detail {
namespace {

using options = std::vector<std::pair<std::string, std::string>>;

options split(std::string_view query, std::initializer_list<std::string_view> repeatable = {}) {
  options out;
  for_each_url_option(query, repeatable, [&](const std::string& n, const std::string& v) { out.emplace_back(n, v); });
  return out;
}

// The message of the url_syntax_error that `query` raises ("" if it raises none).
std::string refusal(std::string_view query, std::initializer_list<std::string_view> repeatable = {}) {
  try {
    split(query, repeatable);
  } catch (const url_syntax_error& e) {
    return e.what();
  }
  return "";
}

TEST(url_query, options_come_in_order_decoded_and_empty_pairs_are_skipped) {
  EXPECT_EQ(split("a=1&&b=x%20y&c=&"), (options{{"a", "1"}, {"b", "x y"}, {"c", ""}}));
  EXPECT_EQ(split("init%5Fcommand=SET%20@a=1"), (options{{"init_command", "SET @a=1"}})) << "only the first '=' splits";
  EXPECT_TRUE(split("").empty());
  EXPECT_TRUE(split("&&").empty());
}

TEST(url_query, a_repeated_name_is_refused_unless_it_may_repeat) {
  EXPECT_EQ(refusal("ssl=true&ssl=false"), "option 'ssl' given twice");
  EXPECT_EQ(refusal("mode=ro&m%6Fde=rw"), "option 'mode' given twice") << "compared after decoding";
  EXPECT_EQ(split("cmd=1&cmd=2", {"cmd"}), (options{{"cmd", "1"}, {"cmd", "2"}}));
  EXPECT_EQ(refusal("cmd=1&x=1&x=2", {"cmd"}), "option 'x' given twice");
}

TEST(url_query, nul_and_bad_escapes_are_refused_naming_the_part) {
  EXPECT_EQ(refusal("ssl_ca=/a%00b"), "NUL (%00) in option value");
  EXPECT_EQ(refusal("ssl%00=1"), "NUL (%00) in option name");
  EXPECT_EQ(refusal("a=%zz"), "bad percent-escape in option value");
  EXPECT_EQ(refusal("a=%4"), "bad percent-escape in option value") << "cut short";
  EXPECT_EQ(refusal("a%=1"), "bad percent-escape in option name");
  EXPECT_EQ(percent_decode("p%40ss%2Fw", "password"), "p@ss/w");
  try {
    percent_decode("pw%0", "password");
    ADD_FAILURE() << "a cut escape was accepted";
  } catch (const url_syntax_error& e) {
    EXPECT_STREQ(e.what(), "bad percent-escape in password");
  }
}

TEST(url_query, a_pair_without_a_name_or_a_value_is_refused_without_quoting_a_secret) {
  EXPECT_EQ(refusal("=1"), "option without a name");
  EXPECT_EQ(refusal("a=1&flag"), "option 'flag' has no '=value'");
  const std::string hidden = refusal("Zq7K/x9Vw");  // a piece of a password after a stray '?'
  EXPECT_EQ(hidden.find("Zq7K"), std::string::npos) << hidden;
  EXPECT_NE(hidden.find("not an option"), std::string::npos) << hidden;
  EXPECT_EQ(shown_option_name("read_timeout"), "'read_timeout'");
  EXPECT_EQ(shown_option_name(std::string(41, 'a')).find("aaaa"), std::string::npos);
}

TEST(url_query, the_first_problem_in_order_is_reported_and_stops_the_walk) {
  options applied;
  try {
    for_each_url_option("a=1&b=2&a=3&flag", {}, [&](const std::string& n, const std::string& v) {
      if (n == "b") throw std::invalid_argument("b is bad");
      applied.emplace_back(n, v);
    });
    ADD_FAILURE() << "nothing was refused";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "b is bad") << "apply's own error comes before later syntax problems";
  }
  EXPECT_EQ(applied, (options{{"a", "1"}}));
}

}  // namespace
}  // namespace fibersql::detail
