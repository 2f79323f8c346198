// The order tables are created in: Kahn's algorithm over non-deferred references, ties broken
// by the order the caller gave (not by name: peewee #1590), a cycle named in the error.
#include <algorithm>
#include <string>

#include <fibersql/orm/schema.hpp>

#include "detail/renderer.hpp"

namespace fibersql::orm::detail {
namespace {
// depends: does table a reference table b (other than itself, not deferred)?
bool depends(const table_ref& a, const table_ref& b) {
  if (a.info->name == b.info->name) return false;
  for (const column_info& c : a.info->columns) {
    const reference_info& r = c.options.references;
    if (r.target && !r.deferred && r.target->table == b.info->name) return true;
  }
  return false;
}
}  // namespace

std::vector<std::size_t> create_order(std::span<const table_ref> tables) {
  const std::size_t n = tables.size();
  std::vector<bool> placed(n, false);
  std::vector<std::size_t> order;
  while (order.size() < n) {
    bool progressed = false;
    for (std::size_t i = 0; i < n && !progressed; ++i) {
      if (placed[i]) continue;
      bool ready = true;
      for (std::size_t j = 0; j < n; ++j)
        if (!placed[j] && j != i && depends(tables[i], tables[j])) ready = false;
      if (ready) {
        placed[i] = progressed = true;
        order.push_back(i);
      }
    }
    if (progressed) continue;
    // Every remaining table waits for another: follow the waits until one repeats.
    std::size_t at = 0;
    while (placed[at]) ++at;
    std::vector<std::size_t> path{at};
    for (;;) {
      std::size_t next = 0;
      while (placed[next] || next == at || !depends(tables[at], tables[next])) ++next;
      auto seen = std::find(path.begin(), path.end(), next);
      if (seen != path.end()) {
        std::string cycle;
        for (auto it = seen; it != path.end(); ++it) cycle += std::string(tables[*it].info->name) + " -> ";
        cycle += std::string(tables[next].info->name);
        fail_programming("tables reference each other in a cycle: " + cycle +
                         "; declare one of these references with references_deferred(table, column)");
      }
      path.push_back(next);
      at = next;
    }
  }
  return order;
}

}  // namespace fibersql::orm::detail
