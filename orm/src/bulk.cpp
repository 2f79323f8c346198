// insert_many's plan per server: statement limits, and whether the ids come back exactly.
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
  } else if (d.flavor == flavor::mariadb) {
    plan.returning = d.version >= version{10, 5, 0};
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

}  // namespace fibersql::orm::detail
