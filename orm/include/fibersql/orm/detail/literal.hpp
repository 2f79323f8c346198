#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// A string that can only come from a string literal: consteval, so text built at run time
// (user input) cannot reach raw SQL, function names or aliases.
#include <cstddef>
#include <string_view>

namespace fibersql::orm::detail {

struct literal {
  std::string_view text;
  template <std::size_t N>
  consteval literal(const char (&s)[N]) : text(s, N - 1) {}
};

}  // namespace fibersql::orm::detail
FIBERSQL_PUBLIC_END
