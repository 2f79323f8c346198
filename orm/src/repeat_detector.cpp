// repeat_detector: lookup shapes counted per scope, a hint built from the ORM's canonical SQL.
#include <fibersql/orm/repeat_detector.hpp>

#include <cstdio>
#include <functional>
#include <utility>

#include <fibersql/runtime/this_fiber.hpp>

#include "detail/fiber_observers.hpp"

namespace fibersql::orm {

namespace detail {
namespace {

bool starts_with_select(std::string_view sql) noexcept {
  std::size_t i = 0;
  while (i < sql.size() && (sql[i] == ' ' || sql[i] == '\n' || sql[i] == '\t' || sql[i] == '(')) ++i;
  constexpr std::string_view word = "select";
  if (sql.size() - i < word.size()) return false;
  for (std::size_t k = 0; k < word.size(); ++k)
    if ((sql[i + k] | 0x20) != word[k]) return false;
  return true;
}

// quoted_before: the identifier quoted with " or ` that ends just before `end`, and where its
// opening quote is; empty when there is none.
std::pair<std::string_view, std::size_t> quoted_before(std::string_view sql, std::size_t end) {
  if (end == 0 || (sql[end - 1] != '"' && sql[end - 1] != '`')) return {{}, 0};
  const std::size_t open = sql.rfind(sql[end - 1], end - 2);
  if (open == std::string_view::npos || end < open + 2) return {{}, 0};
  return {sql.substr(open + 1, end - open - 2), open};
}

}  // namespace

std::uint64_t lookup_shape(const db::statement_event& e) noexcept {
  if (e.error || !starts_with_select(e.sql)) return 0;
  if (e.rows > 1 && e.sql.find("= ?") == std::string_view::npos) return 0;
  // The text's hash, with each ", ?" right after a "?" left out: IN (?, ?, ?) is IN (?). Most
  // lookups have no list: hash them in place.
  const std::string_view s = e.sql;
  if (s.find("?, ?") == std::string_view::npos) return std::hash<std::string_view>{}(s) | 1;
  std::string folded;
  folded.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    folded += s[i];
    if (s[i] == '?')
      while (s.substr(i + 1, 3) == ", ?") i += 3;
  }
  return std::hash<std::string_view>{}(folded) | 1;
}

std::string repeat_hint(std::string_view sql, bool single_row) {
  // The ORM renders a key lookup as `"table"."column" = ?` (backticks on MySQL/MariaDB).
  const std::size_t eq = sql.find(" = ?");
  std::string table, column;
  if (eq != std::string_view::npos) {
    const auto [col, col_open] = quoted_before(sql, eq);
    if (!col.empty() && col_open > 0 && sql[col_open - 1] == '.') {
      const auto [tbl, tbl_open] = quoted_before(sql, col_open - 1);
      table = tbl;
      column = col;
    }
  }
  if (table.empty() || column.empty())
    return "the same lookup ran once per row: fetch the rows in one query (orm::prefetch, orm::prefetch_parents, "
           "or .in(keys))";
  const std::string key = table + "." + column;
  if (single_row)
    return table + " by " + key + ", one row per statement: fetch them in one query, orm::prefetch_parents(db, " +
           "children, <their column referencing " + key + ">, " + table + ") for the rows holding the keys, or " +
           "orm::select(" + table + ").where(" + key + ".in(keys))";
  return table + " by " + key + ", once per parent: orm::prefetch(db, parents, " + key +
         ") fetches them for every parent in one query";
}

}  // namespace detail

repeat_detector::repeat_detector(repeat_options options)
    : options_(std::move(options)), owner_(&detail::this_fiber_observers()) {
  outer_ = owner_->detectors;
  owner_->detectors = this;
}

repeat_detector::~repeat_detector() {
  detail::unlink<repeat_detector, &repeat_detector::outer_>(owner_->detectors, this);
}

void repeat_detector::see(const db::statement_event& e, std::uint64_t shape) noexcept {
  try {
    shape_count& c = shapes_[shape];
    if (++c.runs <= options_.threshold || c.reported) return;
    c.reported = true;
    repeat_report r{e.fiber_id, e.fiber_name, e.sql, c.runs, detail::repeat_hint(e.sql, e.rows <= 1)};
    if (options_.on_repeat) {
      options_.on_repeat(r);
    } else {
      std::fprintf(stderr, "fibersql::orm: fiber %llu (%.*s) ran %llu times: %.*s -- %s\n",
                   static_cast<unsigned long long>(r.fiber_id), static_cast<int>(r.fiber_name.size()),
                   r.fiber_name.data(), static_cast<unsigned long long>(r.count), static_cast<int>(r.sql.size()),
                   r.sql.data(), r.hint.c_str());
    }
  } catch (...) {  // an allocation failure or a throwing callback must not fail the statement
  }
}

}  // namespace fibersql::orm
