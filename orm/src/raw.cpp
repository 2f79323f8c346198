// raw<M>'s shape check: each model column found by name in the result, before any row.
#include <fibersql/orm/raw.hpp>

#include "detail/renderer.hpp"

namespace fibersql::orm::detail {

std::vector<std::size_t> column_indexes(const table_info& t, const column_names& result) {
  std::vector<std::size_t> at;
  std::string missing;
  for (const column_info& c : t.columns) {
    std::size_t i = 0;
    while (i < result.size() && result[i] != c.name) ++i;
    if (i == result.size()) {
      if (!missing.empty()) missing += ", ";
      missing += std::string(t.name) + "." + std::string(c.name);
    }
    at.push_back(i);
  }
  if (missing.empty()) return at;
  std::string has;
  for (const std::string& n : result) has += (has.empty() ? "" : ", ") + n;
  fail_programming(missing + " not in result; result has " + (has.empty() ? "no columns" : has));
}

}  // namespace fibersql::orm::detail
