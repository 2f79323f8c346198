#pragma once
// The one renderer every statement kind shares: identifier quoting, expressions and bound
// parameters for a dialect. Private to orm/src.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fibersql/orm/detail/query_state.hpp>
#include <fibersql/orm/dialect.hpp>
#include <fibersql/orm/statement.hpp>

namespace fibersql::orm::detail {

[[noreturn]] void fail_programming(const std::string& what);
[[noreturn]] void fail_unsupported(const std::string& what);
std::string dialect_name(const dialect& d);

// reference_target: (table, column) a column's reference points at; empty when none.
struct reference_target {
  std::string_view table, column;
};
reference_target target_of(const column_info& c, const table_info& owner);
// primary_key_of: the table's primary key columns (composite from FIBERSQL_TABLE_META).
std::vector<const column_info*> primary_key_of(const table_ref& t);

class renderer {
 public:
  renderer(const dialect& d, statement& out) : d_(d), out_(out) {}
  void raw(std::string_view s) { out_.text += s; }
  void ident(std::string_view name);
  void column(const column_info& c, std::string_view qualifier);
  void param(fibersql::value v);
  void expr(const node& n);
  // select: s, with LIMIT `limit` instead of s's own when given (get/first/exists: no copy).
  void select(const select_state& s, std::optional<std::int64_t> limit = std::nullopt);
  void table(const table_ref& t);  // "name" [AS "alias"]
  const dialect& d() const { return d_; }
  // In an upsert's update list on MySQL: excluded(c) is VALUES(c) or the row alias.
  bool mysql_row_alias = false;

 private:
  void expr_list(const std::vector<node_ptr>& items, std::size_t from = 0);
  void select_item(const node& n);
  const dialect& d_;
  statement& out_;
};

}  // namespace fibersql::orm::detail
