#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// A rendered statement: SQL text with `?` placeholders and the values bound to them, in order.
#include <string>
#include <vector>

#include <fibersql/sql/value.hpp>

namespace fibersql::orm {

struct statement {
  std::string text;
  std::vector<value> params;
};

}  // namespace fibersql::orm
FIBERSQL_PUBLIC_END
