#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// A fully buffered statement result: rows (possibly none) and the statement's counters.
#include <cstdint>
#include <memory>
#include <vector>

#include <fibersql/sql/row.hpp>

namespace fibersql {

struct result {
  std::shared_ptr<const column_names> columns = std::make_shared<column_names>();
  std::vector<row> rows{};
  std::uint64_t affected_rows = 0;  // rows changed by INSERT/UPDATE/DELETE
  std::uint64_t insert_id = 0;      // last AUTO_INCREMENT / rowid, 0 if none
  unsigned warnings = 0;            // server warning count (MySQL), 0 for SQLite
};

}  // namespace fibersql
FIBERSQL_PUBLIC_END
