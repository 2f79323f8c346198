// INSERT (with the upsert clause of design §7.5), UPDATE and DELETE for every dialect.
#include <algorithm>
#include <string>

#include "detail/renderer.hpp"

namespace fibersql::orm::detail {
namespace {

using key = std::vector<const column_info*>;

std::string key_text(const key& k) {
  std::string s = "(";
  for (std::size_t i = 0; i < k.size(); ++i)
    s += (i ? ", " : "") + std::string(k[i]->table) + "." + std::string(k[i]->name);
  return s + ")";
}

bool same_key(key a, key b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

// unique_keys: the primary key, every unique column, every unique index.
std::vector<key> unique_keys(const table_ref& t) {
  std::vector<key> keys;
  if (key pk = primary_key_of(t); !pk.empty()) keys.push_back(pk);
  for (const column_info& c : t.info->columns)
    if (c.options.unique) keys.push_back({&c});
  if (t.meta)
    for (std::size_t i = 0; i < t.meta->size; ++i)
      if (t.meta->keys[i].k == key_info::kind::unique_index)
        keys.emplace_back(t.meta->keys[i].columns.begin(), t.meta->keys[i].columns.begin() + t.meta->keys[i].size);
  return keys;
}

// reads: the columns of this table an expression reads (excluded values are not reads).
void reads(const node& n, std::vector<const column_info*>& out) {
  if (n.kind == node_kind::column) out.push_back(n.column);
  for (const node_ptr& a : n.args) reads(*a, out);
}

bool contains(const std::vector<const column_info*>& v, const column_info* c) {
  return std::find(v.begin(), v.end(), c) != v.end();
}

// mysql_order: ON DUPLICATE KEY UPDATE assigns left to right and later assignments see the
// new values; SQLite's DO UPDATE reads the old row everywhere. An order where no assignment
// reads a column assigned before it means the same on both; none exists for a cycle.
std::vector<assignment> mysql_order(const std::vector<assignment>& in, const node_ptr& where, const char* clause) {
  std::vector<std::vector<const column_info*>> r(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    reads(*in[i].value, r[i]);
    if (where) reads(*where, r[i]);
  }
  std::vector<assignment> out;
  std::vector<bool> done(in.size(), false);
  while (out.size() < in.size()) {
    bool progressed = false;
    for (std::size_t i = 0; i < in.size() && !progressed; ++i) {
      if (done[i]) continue;
      // i may go next when no other pending assignment reads i's column.
      bool read_later = false;
      for (std::size_t j = 0; j < in.size(); ++j)
        if (j != i && !done[j] && contains(r[j], in[i].target)) read_later = true;
      if (!read_later) {
        done[i] = true;
        out.push_back(in[i]);
        progressed = true;
      }
    }
    if (!progressed)
      fail_unsupported(std::string("these assignments read each other's columns; MySQL and MariaDB evaluate ") +
                       clause + " left to right, so no order of them means what SQLite's reading of the old row means");
  }
  return out;
}

void check_target(const insert_state& s, const std::vector<key>& keys) {
  const conflict_clause& c = s.conflict;
  if (c.any_unique_key) return;
  bool found = false;
  for (const key& k : keys) found = found || same_key(k, c.target);
  if (found) return;
  std::string known;
  for (const key& k : keys) known += (known.empty() ? "" : ", ") + key_text(k);
  fail_programming("on_conflict" + key_text(c.target) + " is not a unique key of " + std::string(s.table.info->name) +
                   "; its unique keys: " + (known.empty() ? "none" : known));
}

// check_mysql_keys: ON DUPLICATE KEY fires on any unique key the row could hit, so the
// named target must be the only one (or the caller says any_unique_key).
void check_mysql_keys(const insert_state& s, const std::vector<key>& keys) {
  if (s.conflict.any_unique_key) return;
  std::string others;
  for (const key& k : keys) {
    if (same_key(k, s.conflict.target)) continue;
    bool hit = std::all_of(k.begin(), k.end(), [&](const column_info* c) { return contains(s.columns, c); });
    if (hit) others += (others.empty() ? "" : ", ") + key_text(k);
  }
  if (!others.empty())
    fail_programming("on_conflict" + key_text(s.conflict.target) +
                     ": MySQL's ON DUPLICATE KEY UPDATE also fires on unique key " + others +
                     " of the inserted row; use on_conflict(orm::any_unique_key) if that is meant");
}

const column_info* single_auto_key(const table_ref& t) {
  key pk = primary_key_of(t);
  return pk.size() == 1 && pk[0]->options.auto_increment ? pk[0] : nullptr;
}

void values(renderer& r, const insert_state& s) {
  r.raw("INSERT INTO ");
  r.table(s.table);
  if (s.columns.empty()) {  // every row takes its defaults
    if (!r.d().mysql_family()) {
      if (s.rows.size() > 1)
        fail_unsupported("insert_into(" + std::string(s.table.info->name) + ").values(" +
                         std::to_string(s.rows.size()) +
                         " rows) names no column, and SQLite's DEFAULT VALUES is one row; insert them one at a "
                         "time or with orm::insert_many");
      r.raw(" DEFAULT VALUES");
      return;
    }
    r.raw(" () VALUES ");
    for (std::size_t row = 0; row < std::max<std::size_t>(1, s.rows.size()); ++row) r.raw(row ? ", ()" : "()");
    return;
  }
  r.raw(" (");
  for (std::size_t i = 0; i < s.columns.size(); ++i) {
    if (i) r.raw(", ");
    r.ident(s.columns[i]->name);
  }
  r.raw(") VALUES ");
  for (std::size_t row = 0; row < s.rows.size(); ++row) {
    r.raw(row ? ", (" : "(");
    for (std::size_t i = 0; i < s.rows[row].size(); ++i) {
      if (i) r.raw(", ");
      r.expr(*s.rows[row][i]);
    }
    r.raw(")");
  }
}

void assign(renderer& r, const assignment& a, const node_ptr& where_if) {
  r.ident(a.target->name);
  r.raw(" = ");
  if (!where_if) {
    r.expr(*a.value);
    return;
  }
  r.raw("IF(");  // MySQL has no WHERE on ON DUPLICATE KEY UPDATE: keep the old value
  r.expr(*where_if);
  r.raw(", ");
  r.expr(*a.value);
  r.raw(", ");
  r.column(*a.target, {});
  r.raw(")");
}

void sqlite_upsert(renderer& r, const insert_state& s) {
  const conflict_clause& c = s.conflict;
  if (c.any_unique_key && !c.do_nothing && r.d().version < version{3, 35, 0})
    fail_unsupported("on_conflict(any_unique_key).update() needs SQLite 3.35; " + dialect_name(r.d()));
  r.raw(" ON CONFLICT");
  if (!c.any_unique_key) {
    r.raw(" (");
    for (std::size_t i = 0; i < c.target.size(); ++i) {
      if (i) r.raw(", ");
      r.ident(c.target[i]->name);
    }
    r.raw(")");
  }
  if (c.do_nothing) {
    r.raw(" DO NOTHING");
  } else {
    r.raw(" DO UPDATE SET ");
    for (std::size_t i = 0; i < c.updates.size(); ++i) {
      if (i) r.raw(", ");
      assign(r, c.updates[i], nullptr);
    }
    if (c.where) {
      r.raw(" WHERE ");
      r.expr(*c.where);
    }
  }
  // The row's id in both outcomes (part 2 reads it); RETURNING arrived in SQLite 3.35.
  key pk = primary_key_of(s.table);
  if (pk.size() == 1 && r.d().version >= version{3, 35, 0}) {
    r.raw(" RETURNING ");
    r.ident(pk[0]->name);
  }
}

void mysql_upsert(renderer& r, const insert_state& s, const std::vector<key>& keys) {
  const conflict_clause& c = s.conflict;
  check_mysql_keys(s, keys);
  // Row alias from MySQL 8.0.19 (VALUES() is deprecated from 8.0.20); MariaDB has no row
  // alias and keeps VALUES().
  r.mysql_row_alias = r.d().flavor == flavor::mysql && r.d().version >= version{8, 0, 19};
  if (r.mysql_row_alias) r.raw(" AS `excluded`");
  r.raw(" ON DUPLICATE KEY UPDATE ");
  key pk = primary_key_of(s.table);
  if (c.do_nothing) {  // a no-op assignment: ignores duplicates only (INSERT IGNORE hides more)
    const column_info* k = pk.empty() ? c.target.front() : pk.front();
    r.ident(k->name);
    r.raw(" = ");
    r.ident(k->name);
    return;
  }
  std::vector<assignment> ordered = mysql_order(c.updates, c.where, "ON DUPLICATE KEY UPDATE");
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    if (i) r.raw(", ");
    assign(r, ordered[i], c.where);
  }
  if (const column_info* id = single_auto_key(s.table)) {  // insert_id = the row's id after an update too
    r.raw(", ");
    r.ident(id->name);
    r.raw(" = LAST_INSERT_ID(");
    r.ident(id->name);
    r.raw(")");
  }
}

}  // namespace

statement render_insert(const insert_state& s, const dialect& d) {
  statement out;
  renderer r(d, out);
  values(r, s);
  if (s.conflict.present) {
    const conflict_clause& c = s.conflict;
    if (!c.do_nothing && c.updates.empty())
      fail_programming("on_conflict() needs .update(...), .update_from_excluded(...) or .do_nothing()");
    if (c.do_nothing && c.where) fail_programming("on_conflict().do_nothing() takes no where()");
    std::vector<key> keys = unique_keys(s.table);
    check_target(s, keys);
    if (d.mysql_family())
      mysql_upsert(r, s, keys);
    else
      sqlite_upsert(r, s);
  }
  return out;
}

statement render_update(const update_state& s, const dialect& d) {
  if (s.sets.empty()) fail_programming("update(" + std::string(s.table.info->name) + ") needs .set(...)");
  statement out;
  renderer r(d, out);
  r.raw("UPDATE ");
  r.table(s.table);
  r.raw(" SET ");
  std::vector<assignment> sets = d.mysql_family() ? mysql_order(s.sets, nullptr, "UPDATE ... SET") : s.sets;
  for (std::size_t i = 0; i < sets.size(); ++i) {
    if (i) r.raw(", ");
    assign(r, sets[i], nullptr);
  }
  if (s.where) {
    r.raw(" WHERE ");
    r.expr(*s.where);
  }
  return out;
}

statement render_delete(const delete_state& s, const dialect& d) {
  statement out;
  renderer r(d, out);
  r.raw("DELETE FROM ");
  r.table(s.table);
  if (s.where) {
    r.raw(" WHERE ");
    r.expr(*s.where);
  }
  return out;
}

}  // namespace fibersql::orm::detail
