// prefetch's non-template side: the key budget per dialect, reference matching, and the
// ranked (per-parent) statement.
#include <fibersql/orm/prefetch.hpp>

#include <algorithm>
#include <string>

#include "detail/renderer.hpp"

namespace fibersql::orm::detail {

namespace {
bool has_window_functions(const dialect& d) {
  switch (d.flavor) {
    case flavor::sqlite:
      return d.version >= version{3, 25, 0};
    case flavor::mariadb:
      return d.version >= version{10, 2, 0};
    case flavor::mysql:
      return d.version >= version{8, 0, 0};
  }
  return false;
}
}  // namespace

key_budget prefetch_budget(const dialect& d, std::size_t used, std::size_t max_keys) {
  // SQLITE_MAX_VARIABLE_NUMBER is 32766 from 3.32 (999 before); a MySQL prepared statement
  // takes 65535 placeholders, and 1 MiB of keys stays far under max_allowed_packet.
  const std::size_t limit = !d.mysql_family() ? (d.version >= version{3, 32, 0} ? 32766 : 999) : 65535;
  if (used >= limit)
    fail_programming("prefetch: the query binds " + std::to_string(used) + " values already; " + dialect_name(d) +
                     " takes " + std::to_string(limit) + " per statement");
  key_budget b;
  b.max_params = limit - used;
  b.max_bytes = d.mysql_family() ? std::size_t{1} << 20 : static_cast<std::size_t>(-1);
  if (max_keys > 0) b.max_params = std::min(b.max_params, max_keys);
  return b;
}

bool refers_to(const column_info& fk, const column_info& target, const table_info& target_table) noexcept {
  const reference_info& r = fk.options.references;
  if (r.target != nullptr)
    return r.target == &target || (r.target->table == target.table && r.target->name == target.name);
  if (r.self) return fk.table == target_table.name && target.is_primary_key();
  if (r.deferred) return r.deferred_table == target_table.name && r.deferred_column == target.name;
  return false;
}

void fail_no_reference(const column_info& fk, const table_info& parent) {
  const reference_info& r = fk.options.references;
  std::string refers = "references nothing (declare references(...) on it)";
  if (r.target != nullptr)
    refers = "references " + std::string(r.target->table) + "." + std::string(r.target->name);
  else if (r.deferred)
    refers = "references " + std::string(r.deferred_table) + "." + std::string(r.deferred_column);
  else if (r.self)
    refers = "references its own table's primary key";
  fail_programming("prefetch: " + std::string(fk.table) + "." + std::string(fk.name) + " " + refers +
                   ", not a column of " + std::string(parent.name) + " of the same type");
}

void fail_per_parent_on_parents() {
  fail_programming("prefetch_parents: per_parent limits the children of each parent; a child has one parent");
}

statement render_prefetch(const select_state& q, const dialect& d, const column_info& fk, std::int64_t per_parent) {
  if (q.limit || q.offset)
    fail_programming(
        "prefetch: the related query has LIMIT/OFFSET, which would cut across parents; "
        "use prefetch_options::per_parent for a limit per parent");
  if (per_parent < 0) fail_programming("prefetch: per_parent must be >= 0, got " + std::to_string(per_parent));
  if (per_parent == 0) return render_select(q, d);
  if (!has_window_functions(d))
    fail_unsupported("prefetch per_parent needs ROW_NUMBER() OVER (SQLite >= 3.25, MariaDB >= 10.2, MySQL 8); " +
                     dialect_name(d) + " has no window functions");
  if (q.order_by.empty())
    fail_programming("prefetch: per_parent = " + std::to_string(per_parent) +
                     " needs the children query's order_by (which children of each parent to keep)");
  statement window;
  renderer w(d, window);
  w.raw("ROW_NUMBER() OVER (PARTITION BY ");
  w.column(fk, q.from->qualifier());
  for (std::size_t i = 0; i < q.order_by.size(); ++i) {
    w.raw(i ? ", " : " ORDER BY ");
    w.expr(*q.order_by[i].node);
    if (q.order_by[i].descending) w.raw(" DESC");
  }
  w.raw(")");
  // The window goes into the select list as raw text, which carries no bound values.
  if (!window.params.empty())
    fail_unsupported("prefetch per_parent: an order_by that binds values cannot rank the children");
  const node_ptr rank = make_alias(make_raw(window.text), "fibersql_rank");
  const std::vector<const column_info*> pk = primary_key_of(*q.from);
  statement out;
  if (pk.size() == 1 && q.joins.empty()) {
    // Rank the keys alone and join the rows back by primary key: the derived table then holds
    // no TEXT/BLOB column, so MariaDB keeps it in memory and reads only the kept rows
    // (10-30x faster than ranking whole rows on the timeline bench).
    select_state keys;
    keys.from = q.from;
    keys.where = q.where;
    keys.columns = {make_column(*pk[0], q.from->qualifier()), rank};
    select_state rows;
    rows.from = q.from;
    rows.columns = q.columns;
    out = render_select(rows, d);
    statement inner = render_select(keys, d);
    renderer r(d, out);
    r.raw(" INNER JOIN (");
    r.raw(inner.text);
    out.params.insert(out.params.end(), inner.params.begin(), inner.params.end());
    r.raw(") AS fibersql_ranked ON fibersql_ranked.");
    r.ident(pk[0]->name);
    r.raw(" = ");
    r.column(*pk[0], q.from->qualifier());
    r.raw(" WHERE fibersql_ranked.fibersql_rank <= ");
    r.param(per_parent);
    r.raw(" ORDER BY fibersql_ranked.fibersql_rank");
    return out;
  }
  auto ranked = clone(q);
  ranked->order_by.clear();
  ranked->columns.push_back(rank);
  statement inner = render_select(*ranked, d);
  out.text = "SELECT * FROM (" + inner.text + ") AS fibersql_ranked WHERE fibersql_rank <= ? ORDER BY fibersql_rank";
  out.params = std::move(inner.params);
  out.params.emplace_back(per_parent);
  return out;
}

}  // namespace fibersql::orm::detail
