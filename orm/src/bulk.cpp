// insert_many's plan per server (statement limits, whether the ids come back exactly) and its
// statements, rendered straight from the rows.
#include <fibersql/orm/bulk.hpp>

#include "detail/renderer.hpp"

namespace fibersql::orm::detail {

bulk_plan plan_bulk(db::database& db, std::string_view pk, bool require_ids) {
  const dialect d = dialect_for(db);
  bulk_plan plan;
  if (!d.mysql_family()) {
    // SQLITE_MAX_VARIABLE_NUMBER: 32766 from 3.32, 999 before.
    plan.max_params = d.version >= version{3, 32, 0} ? 32766 : 999;
    plan.returning = d.version >= version{3, 35, 0};
  } else {
    plan.max_params = 65535;  // a prepared statement's limit (the parameter count is 2 bytes)
    plan.returning = d.flavor == flavor::mariadb && d.version >= version{10, 5, 0};
  }
  if (pk.empty()) return plan;
  if (plan.returning) {
    statement s;
    renderer r(d, s);
    r.raw(" RETURNING ");
    r.ident(pk);
    plan.returning_sql = std::move(s.text);
    return plan;
  }
  if (d.mysql_family()) {
    // Lock modes 0 and 1 give one multi-row INSERT consecutive ids (step
    // auto_increment_increment); mode 2 (MySQL 8's default) may interleave other statements'.
    const fibersql::result r = db.execute("SELECT @@innodb_autoinc_lock_mode, @@auto_increment_increment");
    if (r.rows.at(0).get<std::int64_t>(0) <= 1) {
      plan.consecutive = true;
      plan.increment = r.rows.at(0).get<std::uint64_t>(1);
      return plan;
    }
  }
  if (require_ids)
    fail_unsupported(
        "insert_many cannot know each row's id on this server (no RETURNING, and "
        "innodb_autoinc_lock_mode = 2 lets ids interleave); insert without require_ids, "
        "or one row at a time with orm::insert");
  return plan;
}

bulk_statement::bulk_statement(const dialect& d, table_ref table, std::string_view suffix)
    : d_(d), table_(table), suffix_(suffix) {}

void bulk_statement::begin(const std::vector<const column_info*>& columns, std::size_t rows) {
  s_.params.clear();
  s_.params.reserve(columns.size() * rows);
  if (!s_.text.empty() && columns == columns_ && rows == rows_) return;  // the same shape: the same text
  if (columns.empty() && rows > 1 && !d_.mysql_family())
    fail_programming("insert_many: SQLite inserts one row of defaults per statement (DEFAULT VALUES)");
  columns_ = columns;
  rows_ = rows;
  s_.text.clear();
  renderer r(d_, s_);
  r.raw("INSERT INTO ");
  r.table(table_);
  std::string tuple = "(";
  if (columns.empty()) {
    r.raw(d_.mysql_family() ? " () VALUES " : " DEFAULT VALUES");
  } else {
    r.raw(" (");
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (i) r.raw(", ");
      r.ident(columns[i]->name);
      tuple += i ? ", ?" : "?";
    }
    r.raw(") VALUES ");
  }
  tuple += ")";
  if (!columns.empty() || d_.mysql_family()) {
    s_.text.reserve(s_.text.size() + rows * (tuple.size() + 2) + suffix_.size());
    for (std::size_t row = 0; row < rows; ++row) {
      if (row) r.raw(", ");
      r.raw(tuple);
    }
  }
  r.raw(suffix_);
}

void bulk_statement::add(std::nullopt_t) {
  s_.params.emplace_back(fibersql::null);
}
void bulk_statement::add(bool v) {
  s_.params.emplace_back(v);
}
void bulk_statement::add(std::int64_t v) {
  s_.params.emplace_back(v);
}
void bulk_statement::add(std::uint64_t v) {
  s_.params.emplace_back(v);
}
void bulk_statement::add(double v) {
  s_.params.emplace_back(v);
}
void bulk_statement::add(std::string_view v) {
  s_.params.emplace_back(std::string(v));
}
void bulk_statement::add(const fibersql::bytes& v) {
  s_.params.emplace_back(v);
}
void bulk_statement::add(fibersql::date v) {
  s_.params.emplace_back(v);
}
void bulk_statement::add(fibersql::datetime v) {
  s_.params.emplace_back(v);
}
void bulk_statement::add(fibersql::time_of_day v) {
  s_.params.emplace_back(v);
}

}  // namespace fibersql::orm::detail
