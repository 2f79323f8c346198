#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// The clauses of each statement kind, held by the query values through shared_ptr (a
// modifier copies the state, so queries are immutable values) and rendered in orm/src.
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include <fibersql/orm/detail/node.hpp>
#include <fibersql/orm/dialect.hpp>
#include <fibersql/orm/statement.hpp>

namespace fibersql::orm::detail {

enum class join_kind { inner, left, full };
enum class lock_mode { none, update, share };

struct join_clause {
  join_kind kind = join_kind::inner;
  table_ref table{};
  node_ptr on{};
};

struct order_term {
  node_ptr node{};
  bool descending = false;
};

struct select_state {
  std::vector<node_ptr> columns;
  std::optional<table_ref> from;
  std::vector<join_clause> joins;
  node_ptr where, having;
  std::vector<node_ptr> group_by;
  std::vector<order_term> order_by;
  std::optional<std::int64_t> limit, offset;
  bool distinct = false;
  lock_mode lock = lock_mode::none;
};

struct conflict_clause {
  bool present = false;
  bool any_unique_key = false;             // on_conflict(orm::any_unique_key)
  std::vector<const column_info*> target;  // the unique key named
  std::vector<assignment> updates;
  bool do_nothing = false;
  node_ptr where{};
};

struct insert_state {
  table_ref table{};
  std::vector<const column_info*> columns;
  std::vector<std::vector<node_ptr>> rows;
  conflict_clause conflict{};
};

struct update_state {
  table_ref table{};
  std::vector<assignment> sets;
  node_ptr where{};
};

struct delete_state {
  table_ref table{};
  node_ptr where{};
};

// Builders the query templates call (orm/src/query_state.cpp): non-template, so chaining a
// clause costs no instantiation.
std::shared_ptr<select_state> clone(const select_state& s);
void add_where(node_ptr& slot, node_ptr cond);  // ANDs onto an existing condition
void add_join(select_state& s, join_kind kind, const table_ref& t, node_ptr on);
void set_from_if_unset(select_state& s, const table_ref& t);
// infer_from: without a FROM, the table of the first column the select list mentions.
void infer_from(select_state& s);

// The renderers (one file per statement kind in orm/src). Throws: programming_error for a
// query that cannot mean one thing (ambiguous upsert, no table), not_supported_error for a
// construct the dialect or its version lacks.
// render_select: s for dialect d; `limit` replaces s's LIMIT when given.
statement render_select(const select_state& s, const dialect& d, std::optional<std::int64_t> limit = std::nullopt);
statement render_insert(const insert_state& s, const dialect& d);
statement render_update(const update_state& s, const dialect& d);
statement render_delete(const delete_state& s, const dialect& d);

}  // namespace fibersql::orm::detail
FIBERSQL_PUBLIC_END
