// Keyset pages for query.batches(db, n): which key, whether the query allows paging on it,
// and each page's statement.
#include <fibersql/orm/batches.hpp>

#include <string>

#include "detail/renderer.hpp"

namespace fibersql::orm::detail {
namespace {

std::string name_of(const column_info& c) {
  return std::string(c.table) + "." + std::string(c.name);
}

// The tables of the query (FROM and joins): their metadata tells which keys are unique.
std::vector<table_ref> tables_of(const select_state& s) {
  std::vector<table_ref> out{*s.from};
  for (const join_clause& j : s.joins) out.push_back(j.table);
  return out;
}

bool single_column_unique(const table_ref& t, const column_info& c) {
  if (!t.meta) return false;
  for (std::size_t i = 0; i < t.meta->size; ++i) {
    const key_info& k = t.meta->keys[i];
    if (k.k != key_info::kind::index && k.size == 1 && k.columns[0] == &c) return true;
  }
  return false;
}

bool is_unique(const select_state& s, const column_info& c) {
  if (c.options.unique) return true;
  for (const table_ref& t : tables_of(s)) {
    if (t.info->name != c.table) continue;
    const std::vector<const column_info*> pk = primary_key_of(t);
    if ((pk.size() == 1 && pk[0] == &c) || single_column_unique(t, c)) return true;
  }
  return false;
}

node_ptr primary_key_node(const select_state& s) {
  const table_ref& from = *s.from;
  const std::vector<const column_info*> pk = primary_key_of(from);
  if (pk.empty())
    fail_programming("batches(): " + std::string(from.info->name) +
                     " has no primary key to page on; name a unique NOT NULL column: batches(db, n, table.column)");
  if (pk.size() > 1)
    fail_programming("batches(): " + std::string(from.info->name) + " has a composite primary key (" +
                     std::to_string(pk.size()) +
                     " columns); name one unique NOT NULL column to page on: batches(db, n, table.column)");
  return make_column(*pk[0], from.qualifier(), from.info);
}

bool same_column(const node& a, const node& b) {
  return a.kind == node_kind::column && b.kind == node_kind::column && a.column == b.column &&
         (a.qualifier.empty() ? a.column->table : a.qualifier) == (b.qualifier.empty() ? b.column->table : b.qualifier);
}

}  // namespace

keyset_plan plan_keyset(const select_state& s, node_ptr key) {
  if (!s.from) fail_programming("batches(): the query has no FROM table to page over");
  if (!s.group_by.empty() || s.having || s.distinct)
    fail_programming(
        "batches(): a query with GROUP BY, HAVING or DISTINCT has no row key to page on; use .stream(db) or .all(db)");
  if (s.limit || s.offset)
    fail_programming(
        "batches(): pages carry their own LIMIT; drop .limit()/.offset()/.paginate() from the query (it has " +
        std::string(s.limit ? "LIMIT " + std::to_string(*s.limit) : "OFFSET " + std::to_string(*s.offset)) + ")");
  if (!key) key = primary_key_node(s);
  if (key->kind != node_kind::column)
    fail_programming("batches(db, n, key): the key must be a column (a unique NOT NULL one), not an expression");
  const column_info& c = *key->column;
  if (!is_unique(s, c))
    fail_programming("batches(): " + name_of(c) +
                     " is not declared unique (primary_key, auto_increment, unique or a one-column unique_index); "
                     "paging on a key that repeats would skip rows");
  if (c.nullable) fail_programming("batches(): " + name_of(c) + " is nullable; NULL keys cannot be paged past");

  keyset_plan p;
  p.key = key;
  if (s.order_by.size() > 1 || (s.order_by.size() == 1 && !same_column(*s.order_by[0].node, *key)))
    fail_programming("batches(): the query has its own ORDER BY, but keyset pages come in the order of their key " +
                     name_of(c) + " alone; drop order_by() or order by the key (asc or desc)");
  if (!s.order_by.empty()) p.descending = s.order_by[0].descending;
  auto q = clone(s);
  q->columns.push_back(key);
  q->order_by = {order_term{key, p.descending}};
  p.query = std::move(q);
  return p;
}

statement render_page(const keyset_plan& p, const std::optional<fibersql::value>& after, std::size_t n,
                      const dialect& d) {
  auto q = clone(*p.query);
  if (after) {
    auto bound = std::make_shared<node>();
    bound->kind = node_kind::param;
    bound->param = *after;
    add_where(q->where, make_binary(p.descending ? "<" : ">", p.key, std::move(bound)));
  }
  q->limit = static_cast<std::int64_t>(n);
  return render_select(*q, d);
}

void check_key_order(const keyset_plan& p, const fibersql::value& previous, const fibersql::value& key) {
  if (key == previous)
    fail_programming("batches(): the key " + name_of(*p.key->column) +
                     " repeats in the query's result (a join that repeats the FROM table's rows?); keyset pages "
                     "need a key unique in the result: name one with batches(db, n, table.column)");
}

}  // namespace fibersql::orm::detail
