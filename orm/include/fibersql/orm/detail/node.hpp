#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// The type-erased middle: an immutable expression tree built by the out-of-line functions
// below (orm/src/node.cpp) and read only by the renderers. The typed surface (expr<T>,
// column<M, T>) is a thin handle on these nodes, so the templates stay small.
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include <fibersql/orm/column_info.hpp>
#include <fibersql/sql/value.hpp>

namespace fibersql::orm::detail {

struct select_state;
struct node;
using node_ptr = std::shared_ptr<const node>;
using query_ptr = std::shared_ptr<const select_state>;

// A table as a query uses it: its metadata, its table-level keys, and the alias it goes by.
struct table_ref {
  const table_info* info = nullptr;
  const table_meta* meta = nullptr;  // nullptr when there is no FIBERSQL_TABLE_META
  std::string_view alias{};          // empty: the table's own name
  std::string_view qualifier() const noexcept { return alias.empty() ? info->name : alias; }
};

enum class node_kind {
  column,    // column + qualifier
  param,     // a bound value
  binary,    // (args[0] op args[1])
  unary,     // op args[0]            (NOT)
  postfix,   // args[0] op            (IS NULL)
  function,  // op(args...); no args and star: COUNT(*)
  raw,       // op is SQL text from a string literal
  in_list,   // args[0] [NOT] IN (args[1..])
  in_query,  // args[0] [NOT] IN (query)
  exists,    // [NOT] EXISTS (query)
  subquery,  // (query)
  like,      // args[0] LIKE args[1] [ESCAPE]; escaped: the ORM escaped the pattern
  between,   // args[0] BETWEEN args[1] AND args[2]
  excluded,  // the would-be-inserted value of column (upsert)
  alias,     // args[0] AS op
  concat,    // string concatenation of args
  model,     // every column of table (select(users))
};

struct node {
  node_kind kind = node_kind::param;
  std::string_view op{};  // operator, function name, alias, or raw SQL (string literals only)
  const column_info* column = nullptr;
  std::string_view qualifier{};
  fibersql::value param{};
  std::vector<node_ptr> args{};
  query_ptr query{};
  table_ref table{};
  bool negated = false;
  bool star = false;
  bool escaped = false;
};

// A `column = value` of UPDATE SET or an upsert's update list.
struct assignment {
  const column_info* target = nullptr;
  node_ptr value{};
};

// make_column: owner is the column's table when known (it lets select() infer its FROM).
node_ptr make_column(const column_info& c, std::string_view qualifier, const table_info* owner = nullptr);
node_ptr make_model(const table_ref& t);
node_ptr make_null();
node_ptr make_param(bool v);
node_ptr make_param(std::int64_t v);
node_ptr make_param(std::uint64_t v);
node_ptr make_param(double v);
node_ptr make_param(std::string_view v);
node_ptr make_param(const fibersql::bytes& v);
node_ptr make_param(fibersql::date v);
node_ptr make_param(fibersql::datetime v);
node_ptr make_param(fibersql::time_of_day v);
node_ptr make_binary(std::string_view op, node_ptr a, node_ptr b);
node_ptr make_unary(std::string_view op, node_ptr a);
node_ptr make_postfix(std::string_view op, node_ptr a);
node_ptr make_function(std::string_view name, std::span<const node_ptr> args, bool star = false);
node_ptr make_raw(std::string_view sql);
node_ptr make_in_list(node_ptr lhs, std::vector<node_ptr> items, bool negated);
node_ptr make_in_query(node_ptr lhs, query_ptr q, bool negated);
node_ptr make_exists(query_ptr q, bool negated);
node_ptr make_subquery(query_ptr q);
node_ptr make_like(node_ptr lhs, node_ptr pattern);
// make_pattern: LIKE for contains (`%s%`), starts_with (`s%`), ends_with (`%s`); % _ \ escaped.
node_ptr make_pattern(node_ptr lhs, std::string_view s, bool lead, bool trail);
node_ptr make_between(node_ptr e, node_ptr lo, node_ptr hi);
node_ptr make_excluded(const column_info& c);
node_ptr make_alias(node_ptr e, std::string_view name);
node_ptr make_concat(node_ptr a, node_ptr b);

}  // namespace fibersql::orm::detail
FIBERSQL_PUBLIC_END
