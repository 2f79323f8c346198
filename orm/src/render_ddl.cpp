// CREATE / DROP TABLE and indexes with the per-dialect type mapping of design §7.4.
#include <charconv>
#include <string>

#include <fibersql/orm/schema.hpp>

#include "detail/renderer.hpp"

namespace fibersql::orm::detail {
namespace {

std::string_view action_sql(fk_action a) {
  switch (a) {
    case fk_action::cascade:
      return "CASCADE";
    case fk_action::restrict:
      return "RESTRICT";
    case fk_action::set_null:
      return "SET NULL";
    case fk_action::set_default:
      return "SET DEFAULT";
    case fk_action::no_action:
      return "NO ACTION";
    case fk_action::none:
      break;
  }
  return {};
}

std::string type_sql(const column_info& c, const dialect& d) {
  const bool my = d.mysql_family();
  switch (c.type) {
    case sql_type::boolean:
      return "BOOLEAN";
    case sql_type::int16:
      return my ? "SMALLINT" : "INTEGER";
    case sql_type::int32:
      return my ? "INT" : "INTEGER";
    case sql_type::int64:
      return my ? "BIGINT" : "INTEGER";
    case sql_type::uint64:
      return my ? "BIGINT UNSIGNED" : "INTEGER";
    case sql_type::real32:
      return my ? "FLOAT" : "REAL";
    case sql_type::real64:
      return my ? "DOUBLE" : "REAL";
    case sql_type::text:
      if (!my) return "TEXT";
      if (c.options.text) return "TEXT";
      return "VARCHAR(" + std::to_string(c.options.max_length ? c.options.max_length : 255) + ")";
    case sql_type::blob:
      if (!my) return "BLOB";
      return c.options.max_length ? "VARBINARY(" + std::to_string(c.options.max_length) + ")" : "LONGBLOB";
    case sql_type::date:
      return "DATE";
    case sql_type::datetime:
      return my ? "DATETIME(6)" : "DATETIME";
    case sql_type::time:
      return my ? "TIME(6)" : "TIME";
    case sql_type::unknown:
      break;
  }
  fail_programming(std::string(c.table) + "." + std::string(c.name) + ": no SQL type for this member");
}

std::string literal_sql(const default_literal& v, const dialect& d) {
  switch (v.k) {
    case default_literal::kind::integer:
    case default_literal::kind::boolean:
      return std::to_string(v.integer);
    case default_literal::kind::real: {
      char buf[64];
      auto end = std::to_chars(buf, buf + sizeof buf, v.real).ptr;
      return std::string(buf, end);
    }
    case default_literal::kind::text: {
      std::string s = "'";
      for (char ch : v.text) {
        if (ch == '\'') s += '\'';
        if (ch == '\\' && d.mysql_family()) s += '\\';  // MySQL string literals escape with \ .
        s += ch;
      }
      return s + "'";
    }
    case default_literal::kind::none:
      break;
  }
  return {};
}

bool key_on_text(const column_info& c) {
  return c.type == sql_type::text && c.options.text;
}
void check_keyable(const column_info& c, const dialect& d, const char* what) {
  if (d.mysql_family() && (key_on_text(c) || (c.type == sql_type::blob && !c.options.max_length)))
    fail_programming(std::string(c.table) + "." + std::string(c.name) + ": " + what +
                     " on a TEXT/BLOB column needs a key length on MySQL; use max_length instead of text");
}

void column_def(renderer& r, const column_info& c, const column_info* inline_pk) {
  const dialect& d = r.d();
  r.ident(c.name);
  if (c.options.auto_increment && !d.mysql_family()) {
    r.raw(" INTEGER PRIMARY KEY");  // exactly INTEGER: only then is it the rowid alias
    return;
  }
  r.raw(" ");
  r.raw(type_sql(c, d));
  if (!c.nullable) r.raw(" NOT NULL");
  if (c.options.auto_increment) r.raw(" AUTO_INCREMENT");
  if (&c == inline_pk) {
    check_keyable(c, d, "primary_key");
    r.raw(" PRIMARY KEY");
  }
  if (c.options.unique) {
    check_keyable(c, d, "unique");
    r.raw(" UNIQUE");
  }
  if (c.options.default_now) {
    r.raw(d.mysql_family() ? " DEFAULT CURRENT_TIMESTAMP(6)" : " DEFAULT CURRENT_TIMESTAMP");
  } else if (c.options.default_value.k != default_literal::kind::none) {
    // MySQL 8 takes defaults on TEXT/BLOB only as expressions.
    const bool paren = d.flavor == flavor::mysql && (key_on_text(c) || c.type == sql_type::blob);
    r.raw(paren ? " DEFAULT (" : " DEFAULT ");
    r.raw(literal_sql(c.options.default_value, d));
    if (paren) r.raw(")");
  }
}

std::string fk_name(const column_info& c) {
  return "fk_" + std::string(c.table) + "_" + std::string(c.name);
}

void foreign_key(renderer& r, const column_info& c, const table_info& owner) {
  reference_target t = target_of(c, owner);
  r.raw("CONSTRAINT ");
  r.ident(fk_name(c));
  r.raw(" FOREIGN KEY (");
  r.ident(c.name);
  r.raw(") REFERENCES ");
  r.ident(t.table);
  r.raw(" (");
  r.ident(t.column);
  r.raw(")");
  if (c.options.references.on_delete != fk_action::none) {
    r.raw(" ON DELETE ");
    r.raw(action_sql(c.options.references.on_delete));
  }
  if (c.options.references.on_update != fk_action::none) {
    r.raw(" ON UPDATE ");
    r.raw(action_sql(c.options.references.on_update));
  }
}

struct index_def {
  std::string name;
  std::vector<const column_info*> columns;
  bool unique = false;
};

std::vector<index_def> indexes_of(const table_ref& t) {
  std::vector<index_def> out;
  auto name_of = [&](const char* prefix, const std::vector<const column_info*>& cols) {
    std::string n = std::string(prefix) + std::string(t.info->name);
    for (const column_info* c : cols) n += "_" + std::string(c->name);
    return n;
  };
  for (const column_info& c : t.info->columns)
    if (c.options.index) out.push_back({name_of("idx_", {&c}), {&c}, false});
  if (t.meta)
    for (std::size_t i = 0; i < t.meta->size; ++i) {
      const key_info& k = t.meta->keys[i];
      if (k.k == key_info::kind::primary_key) continue;
      std::vector<const column_info*> cols(k.columns.begin(), k.columns.begin() + k.size);
      const bool unique = k.k == key_info::kind::unique_index;
      out.push_back({name_of(unique ? "uq_" : "idx_", cols), cols, unique});
    }
  return out;
}

void column_list(renderer& r, const std::vector<const column_info*>& cols) {
  r.raw("(");
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (i) r.raw(", ");
    r.ident(cols[i]->name);
  }
  r.raw(")");
}

// A reference the CREATE TABLE cannot carry: on MySQL a deferred one (its table may not exist
// yet) is added by ALTER TABLE once every table does. SQLite accepts forward references.
bool added_later(const column_info& c, const dialect& d) {
  return c.options.references.deferred && d.mysql_family();
}

std::string create_table(const table_ref& t, const dialect& d) {
  statement out;
  renderer r(d, out);
  std::vector<const column_info*> pk = primary_key_of(t);
  const column_info* inline_pk = pk.size() == 1 ? pk[0] : nullptr;
  r.raw("CREATE TABLE IF NOT EXISTS ");
  r.ident(t.info->name);
  r.raw(" (");
  for (std::size_t i = 0; i < t.info->columns.size(); ++i) {
    if (i) r.raw(", ");
    column_def(r, t.info->columns[i], inline_pk);
  }
  if (pk.size() > 1) {
    for (const column_info* c : pk) check_keyable(*c, d, "primary_key");
    r.raw(", PRIMARY KEY ");
    column_list(r, pk);
  }
  for (const column_info& c : t.info->columns)
    if (c.options.references.present() && !added_later(c, d)) {
      r.raw(", ");
      foreign_key(r, c, *t.info);
    }
  // MySQL 8 has no CREATE INDEX IF NOT EXISTS: its indexes go inside the CREATE TABLE, which
  // keeps IF NOT EXISTS meaning "all or nothing" there too.
  if (d.flavor == flavor::mysql)
    for (const index_def& x : indexes_of(t)) {
      for (const column_info* c : x.columns) check_keyable(*c, d, "index");
      r.raw(x.unique ? ", UNIQUE INDEX " : ", INDEX ");
      r.ident(x.name);
      r.raw(" ");
      column_list(r, x.columns);
    }
  r.raw(")");
  return out.text;
}

std::string create_index(const table_ref& t, const index_def& x, const dialect& d) {
  for (const column_info* c : x.columns) check_keyable(*c, d, "index");
  statement out;
  renderer r(d, out);
  r.raw(x.unique ? "CREATE UNIQUE INDEX IF NOT EXISTS " : "CREATE INDEX IF NOT EXISTS ");
  r.ident(x.name);
  r.raw(" ON ");
  r.ident(t.info->name);
  r.raw(" ");
  column_list(r, x.columns);
  return out.text;
}

}  // namespace

std::vector<std::string> render_create(const dialect& d, std::span<const table_ref> tables) {
  std::vector<std::string> out;
  for (std::size_t i : create_order(tables)) {
    out.push_back(create_table(tables[i], d));
    if (d.flavor != flavor::mysql)
      for (const index_def& x : indexes_of(tables[i])) out.push_back(create_index(tables[i], x, d));
  }
  for (const table_ref& t : tables)
    for (const column_info& c : t.info->columns)
      if (added_later(c, d)) {
        statement s;
        renderer r(d, s);
        r.raw("ALTER TABLE ");
        r.ident(t.info->name);
        r.raw(" ADD ");
        foreign_key(r, c, *t.info);
        out.push_back(s.text);
      }
  return out;
}

std::vector<std::string> render_drop(const dialect& d, std::span<const table_ref> tables) {
  std::vector<std::string> out;
  // MySQL refuses to drop a table a deferred (cyclic) reference still points at.
  for (const table_ref& t : tables)
    for (const column_info& c : t.info->columns)
      if (added_later(c, d)) {
        statement s;
        renderer r(d, s);
        r.raw("ALTER TABLE ");
        r.ident(t.info->name);
        r.raw(d.flavor == flavor::mariadb ? " DROP FOREIGN KEY IF EXISTS " : " DROP FOREIGN KEY ");
        r.ident(fk_name(c));
        out.push_back(s.text);
      }
  std::vector<std::size_t> order = create_order(tables);
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    statement s;
    renderer r(d, s);
    r.raw("DROP TABLE IF EXISTS ");
    r.ident(tables[*it].info->name);
    out.push_back(s.text);
  }
  return out;
}

}  // namespace fibersql::orm::detail
