// Clause builders for the query templates, and the join's ON clause inferred from the one
// reference between the joined table and the tables already in the query.
#include <fibersql/orm/detail/query_state.hpp>

#include <string>

#include "detail/renderer.hpp"

namespace fibersql::orm::detail {

std::shared_ptr<select_state> clone(const select_state& s) {
  return std::make_shared<select_state>(s);
}

void add_where(node_ptr& slot, node_ptr cond) {
  slot = slot ? make_binary("AND", std::move(slot), std::move(cond)) : std::move(cond);
}

void set_from_if_unset(select_state& s, const table_ref& t) {
  if (!s.from) s.from = t;
}

namespace {
const node* first_column(const node& n) {
  if (n.kind == node_kind::column && n.table.info) return &n;
  for (const node_ptr& a : n.args)
    if (const node* c = first_column(*a)) return c;
  return nullptr;
}
}  // namespace

void infer_from(select_state& s) {
  for (const node_ptr& c : s.columns) {
    if (s.from) return;
    if (const node* col = first_column(*c)) s.from = col->table;
  }
}

namespace {
struct candidate {
  const column_info* child_column;
  std::string_view child_qualifier;
  const column_info* parent_column;
  std::string_view parent_qualifier;
};

const column_info* find_column(const table_info& t, std::string_view name) {
  for (const column_info& c : t.columns)
    if (c.name == name) return &c;
  return nullptr;
}

// refs: the references from child's columns to parent's table.
void refs(const table_ref& child, const table_ref& parent, std::vector<candidate>& out) {
  for (const column_info& c : child.info->columns) {
    reference_target t = target_of(c, *child.info);
    if (t.table.empty() || t.table != parent.info->name) continue;
    if (const column_info* p = find_column(*parent.info, t.column))
      out.push_back({&c, child.qualifier(), p, parent.qualifier()});
  }
}

std::string describe(const candidate& c) {
  return std::string(c.child_qualifier) + "." + std::string(c.child_column->name) + " -> " +
         std::string(c.parent_qualifier) + "." + std::string(c.parent_column->name);
}
}  // namespace

void add_join(select_state& s, join_kind kind, const table_ref& t, node_ptr on) {
  if (!s.from) fail_programming("join() before any table is selected");
  if (!on) {
    std::vector<table_ref> present{*s.from};
    for (const join_clause& j : s.joins) present.push_back(j.table);
    std::vector<candidate> found;
    for (const table_ref& p : present) {
      refs(t, p, found);
      if (p.qualifier() != t.qualifier()) refs(p, t, found);
    }
    if (found.size() != 1) {
      std::string what = "join(" + std::string(t.qualifier()) + "): ";
      if (found.empty()) {
        what += "no reference between " + std::string(t.qualifier()) + " and the query's tables; give an ON condition";
      } else {
        what += "ambiguous, candidates: ";
        for (std::size_t i = 0; i < found.size(); ++i) what += (i ? ", " : "") + describe(found[i]);
        what += "; give an ON condition";
      }
      fail_programming(what);
    }
    const candidate& c = found.front();
    on = make_binary("=", make_column(*c.child_column, c.child_qualifier),
                     make_column(*c.parent_column, c.parent_qualifier));
  }
  s.joins.push_back({kind, t, std::move(on)});
}

}  // namespace fibersql::orm::detail
