#pragma once
// peewee's assertSQL: a statement's exact text and its exact bound parameters.
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include <fibersql/orm/statement.hpp>
#include <fibersql/sql/value_text.hpp>

namespace orm_test {

// show: a parameter as "kind:value", so lists compare and print readably.
inline std::string show(const fibersql::value& v) {
  struct visitor {
    std::string operator()(std::monostate) const { return "null"; }
    std::string operator()(bool b) const { return b ? "bool:1" : "bool:0"; }
    std::string operator()(std::int64_t i) const { return "int:" + std::to_string(i); }
    std::string operator()(std::uint64_t i) const { return "uint:" + std::to_string(i); }
    std::string operator()(double d) const { return "real:" + std::to_string(d); }
    std::string operator()(const std::string& s) const { return "text:" + s; }
    std::string operator()(const fibersql::bytes& b) const { return "bytes:" + b.data; }
    std::string operator()(fibersql::date d) const { return "date:" + fibersql::format_date(d); }
    std::string operator()(fibersql::datetime t) const { return "datetime:" + fibersql::format_datetime(t); }
    std::string operator()(fibersql::time_of_day t) const { return "time:" + fibersql::format_time(t); }
  };
  return std::visit(visitor{}, v);
}

inline std::vector<std::string> shown(const std::vector<fibersql::value>& params) {
  std::vector<std::string> out;
  for (const auto& p : params) out.push_back(show(p));
  return out;
}

}  // namespace orm_test

// EXPECT_SQL(statement, text, {params...}): two assertions, the text and the parameters.
#define EXPECT_SQL(stmt, expected_text, ...)                                                  \
  do {                                                                                        \
    const ::fibersql::orm::statement orm_test_s_ = (stmt);                                    \
    EXPECT_EQ(orm_test_s_.text, expected_text);                                               \
    EXPECT_EQ(::orm_test::shown(orm_test_s_.params), (std::vector<std::string> __VA_ARGS__)); \
  } while (0)
