// Expressions and SELECT for every dialect (§7.4): quoting, parentheses, bound parameters,
// LIKE escapes, empty IN lists, LIMIT/OFFSET, locks and joins.
#include "detail/renderer.hpp"

#include <fibersql/sql/errors.hpp>

namespace fibersql::orm::detail {

void fail_programming(const std::string& what) {
  throw programming_error(0, "42000", "fibersql::orm: " + what);
}
void fail_unsupported(const std::string& what) {
  throw not_supported_error(0, "0A000", "fibersql::orm: " + what);
}

std::string dialect_name(const dialect& d) {
  std::string name = d.flavor == flavor::sqlite ? "SQLite " : d.flavor == flavor::mariadb ? "MariaDB " : "MySQL ";
  return name + std::to_string(d.version.major) + "." + std::to_string(d.version.minor) + "." +
         std::to_string(d.version.patch);
}

reference_target target_of(const column_info& c, const table_info& owner) {
  const reference_info& r = c.options.references;
  if (r.target) return {r.target->table, r.target->name};
  if (r.deferred) return {r.deferred_table, r.deferred_column};
  if (r.self) {
    for (const column_info& k : owner.columns)
      if (k.is_primary_key()) return {owner.name, k.name};
    fail_programming(std::string(owner.name) + "." + std::string(c.name) + ": references_self needs a primary key in " +
                     std::string(owner.name));
  }
  return {};
}

std::vector<const column_info*> primary_key_of(const table_ref& t) {
  std::vector<const column_info*> pk;
  if (t.meta)
    for (std::size_t i = 0; i < t.meta->size; ++i)
      if (t.meta->keys[i].k == key_info::kind::primary_key)
        pk.assign(t.meta->keys[i].columns.begin(), t.meta->keys[i].columns.begin() + t.meta->keys[i].size);
  if (pk.empty())
    for (const column_info& c : t.info->columns)
      if (c.is_primary_key()) pk.push_back(&c);
  return pk;
}

void renderer::ident(std::string_view name) {
  const char q = d_.mysql_family() ? '`' : '"';
  std::string& text = out_.text;
  text += q;
  // Copied in runs between quote characters, each quote doubled: the identifier cannot end early.
  for (std::size_t at = name.find(q); at != std::string_view::npos; at = name.find(q)) {
    text.append(name.substr(0, at + 1));
    text += q;
    name.remove_prefix(at + 1);
  }
  text.append(name);
  text += q;
}

void renderer::column(const column_info& c, std::string_view qualifier) {
  ident(qualifier.empty() ? c.table : qualifier);
  raw(".");
  ident(c.name);
}

void renderer::param(fibersql::value v) {
  raw("?");
  out_.params.push_back(std::move(v));
}

void renderer::expr_list(const std::vector<node_ptr>& items, std::size_t from) {
  for (std::size_t i = from; i < items.size(); ++i) {
    if (i > from) raw(", ");
    expr(*items[i]);
  }
}

void renderer::expr(const node& n) {
  switch (n.kind) {
    case node_kind::column:
      column(*n.column, n.qualifier);
      return;
    case node_kind::param:
      param(n.param);
      return;
    case node_kind::binary:
      raw("(");
      expr(*n.args[0]);
      raw(" ");
      raw(n.op);
      raw(" ");
      expr(*n.args[1]);
      raw(")");
      return;
    case node_kind::unary:
      raw("(");
      raw(n.op);
      raw(" ");
      expr(*n.args[0]);
      raw(")");
      return;
    case node_kind::postfix:
      raw("(");
      expr(*n.args[0]);
      raw(" ");
      raw(n.op);
      raw(")");
      return;
    case node_kind::function:
      raw(n.op);
      raw("(");
      if (n.star) raw("*");
      expr_list(n.args);
      raw(")");
      return;
    case node_kind::raw:
      raw(n.op);
      return;
    case node_kind::in_list:
      if (n.args.size() == 1) {  // empty list: IN () is not SQL; peewee's constant conditions
        raw(n.negated ? "(1 = 1)" : "(0 = 1)");
        return;
      }
      raw("(");
      expr(*n.args[0]);
      raw(n.negated ? " NOT IN (" : " IN (");
      expr_list(n.args, 1);
      raw("))");
      return;
    case node_kind::in_query:
      raw("(");
      expr(*n.args[0]);
      raw(n.negated ? " NOT IN (" : " IN (");
      select(*n.query);
      raw("))");
      return;
    case node_kind::exists:
      raw(n.negated ? "(NOT EXISTS (" : "(EXISTS (");
      select(*n.query);
      raw("))");
      return;
    case node_kind::subquery:
      raw("(");
      select(*n.query);
      raw(")");
      return;
    case node_kind::like:
      raw("(");
      expr(*n.args[0]);
      raw(" LIKE ");
      expr(*n.args[1]);
      // MySQL and MariaDB escape with a backslash by default; SQLite has no default.
      if (n.escaped && !d_.mysql_family()) raw(" ESCAPE '\\'");
      raw(")");
      return;
    case node_kind::between:
      raw("(");
      expr(*n.args[0]);
      raw(" BETWEEN ");
      expr(*n.args[1]);
      raw(" AND ");
      expr(*n.args[2]);
      raw(")");
      return;
    case node_kind::excluded:
      if (!d_.mysql_family()) {
        raw("excluded.");
        ident(n.column->name);
      } else if (mysql_row_alias) {
        ident("excluded");
        raw(".");
        ident(n.column->name);
      } else {
        raw("VALUES(");
        ident(n.column->name);
        raw(")");
      }
      return;
    case node_kind::alias:
      ident(n.op);
      return;  // outside a select list: the alias's name
    case node_kind::concat:
      if (d_.mysql_family()) {  // || is OR in MySQL's default sql_mode
        raw("CONCAT(");
        expr_list(n.args);
        raw(")");
      } else {
        raw("(");
        expr(*n.args[0]);
        raw(" || ");
        expr(*n.args[1]);
        raw(")");
      }
      return;
    case node_kind::model:
      for (std::size_t i = 0; i < n.table.info->columns.size(); ++i) {
        if (i) raw(", ");
        column(n.table.info->columns[i], n.table.qualifier());
      }
      return;
  }
}

void renderer::select_item(const node& n) {
  if (n.kind == node_kind::alias) {
    expr(*n.args[0]);
    raw(" AS ");
    ident(n.op);
  } else {
    expr(n);
  }
}

void renderer::table(const table_ref& t) {
  ident(t.info->name);
  if (!t.alias.empty() && t.alias != t.info->name) {
    raw(" AS ");
    ident(t.alias);
  }
}

void renderer::select(const select_state& s, std::optional<std::int64_t> limit) {
  if (!limit) limit = s.limit;
  if (!s.from) fail_programming("select() names no table; add .from(table)");
  raw(s.distinct ? "SELECT DISTINCT " : "SELECT ");
  for (std::size_t i = 0; i < s.columns.size(); ++i) {
    if (i) raw(", ");
    select_item(*s.columns[i]);
  }
  raw(" FROM ");
  table(*s.from);
  for (const join_clause& j : s.joins) {
    if (j.kind == join_kind::full && (d_.mysql_family() || d_.version < version{3, 39, 0}))
      fail_unsupported("FULL OUTER JOIN is not supported by " + dialect_name(d_));
    raw(j.kind == join_kind::inner  ? " INNER JOIN "
        : j.kind == join_kind::left ? " LEFT OUTER JOIN "
                                    : " FULL OUTER JOIN ");
    table(j.table);
    raw(" ON ");
    expr(*j.on);
  }
  if (s.where) {
    raw(" WHERE ");
    expr(*s.where);
  }
  if (!s.group_by.empty()) {
    raw(" GROUP BY ");
    expr_list(s.group_by);
  }
  if (s.having) {
    raw(" HAVING ");
    expr(*s.having);
  }
  for (std::size_t i = 0; i < s.order_by.size(); ++i) {
    raw(i ? ", " : " ORDER BY ");
    expr(*s.order_by[i].node);
    if (s.order_by[i].descending) raw(" DESC");
  }
  if (limit) {
    raw(" LIMIT ");
    param(*limit);
  } else if (s.offset) {  // OFFSET needs a LIMIT: "no limit" as each dialect spells it
    raw(d_.mysql_family() ? " LIMIT 18446744073709551615" : " LIMIT -1");
  }
  if (s.offset) {
    raw(" OFFSET ");
    param(*s.offset);
  }
  if (s.lock != lock_mode::none && d_.mysql_family()) {  // SQLite serialises writers itself
    if (s.lock == lock_mode::update)
      raw(" FOR UPDATE");
    else
      raw(d_.flavor == flavor::mysql ? " FOR SHARE" : " LOCK IN SHARE MODE");
  }
}

statement render_select(const select_state& s, const dialect& d, std::optional<std::int64_t> limit) {
  statement out;
  out.text.reserve(256);  // one allocation for most statements
  renderer r(d, out);
  r.select(s, limit);
  return out;
}

}  // namespace fibersql::orm::detail
