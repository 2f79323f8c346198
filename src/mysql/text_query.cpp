#include "detail/text_query.hpp"

#include <string>

#include "detail/sql_scan.hpp"
#include "detail/values.hpp"

namespace fibersql::mysql::detail {
namespace {

// The session's lexing mode as the server states it now (one round trip), for the rare
// statement whose placeholders depend on what the client could only guess.
sql_lexer_mode server_lexer_mode(mysql_session& s) {
  send_text_query(s, "SELECT @@SESSION.sql_mode, @@SESSION.character_set_client", {});
  const std::vector<result> answer = read_results(s, false);
  const row& r = answer.at(0).rows.at(0);
  // Appended, not "," + x + ",": GCC 12 warns falsely (-Wrestrict) on the operator+ form.
  std::string sql_mode = ",";
  sql_mode += r.get<std::string>(0);
  sql_mode += ',';
  sql_lexer_mode mode;
  mode.exact = true;
  mode.backslash_escapes = sql_mode.find(",NO_BACKSLASH_ESCAPES,") == std::string::npos;
  mode.ansi_quotes = sql_mode.find(",ANSI_QUOTES,") != std::string::npos;
  mode.charset = mariadb_get_charset_by_name(r.get<std::string>(1).c_str());
  return mode;
}

std::string bind_params(mysql_session& s, std::string_view sql, std::span<const value> params) {
  sql_scan scan = scan_placeholders(sql, client_lexer_mode(s.handle()));
  if (scan.ambiguous) scan = scan_placeholders(sql, server_lexer_mode(s));
  return bind_text(sql, scan.placeholders, params, s.handle());
}

}  // namespace

void send_text_query(mysql_session& s, std::string_view sql, std::span<const value> params) {
  MYSQL* m = s.handle();
  const std::string text = params.empty() ? std::string(sql) : bind_params(s, sql, params);
  // mysql_real_query is these two steps; split, the reply is awaited before the first read.
  int err = 0;
  s.drive([&] { return mysql_send_query_start(&err, m, text.data(), text.size()); },
          [&](int ready) { return mysql_send_query_cont(&err, m, ready); });
  if (err != 0) s.raise();
  const bool timed_out = !s.wait_for_reply();
  my_bool failed = 0;
  s.drive([&] { return mysql_read_query_result_start(&failed, m); },
          [&](int ready) { return mysql_read_query_result_cont(&failed, m, ready); }, timed_out);
  if (failed != 0) s.raise();
}

std::shared_ptr<const column_names> names_of(MYSQL_RES* res) {
  auto names = std::make_shared<column_names>();
  const unsigned n = mysql_num_fields(res);
  const MYSQL_FIELD* fields = mysql_fetch_fields(res);
  names->reserve(n);
  for (unsigned i = 0; i < n; ++i) names->emplace_back(fields[i].name, fields[i].name_length);
  return names;
}

row to_row(MYSQL_RES* res, MYSQL_ROW cells, const std::shared_ptr<const column_names>& names) {
  const unsigned n = mysql_num_fields(res);
  const MYSQL_FIELD* fields = mysql_fetch_fields(res);
  const unsigned long* lengths = mysql_fetch_lengths(res);
  std::vector<value> values;
  values.reserve(n);
  for (unsigned i = 0; i < n; ++i) {
    values.push_back(cells[i] == nullptr ? value(null) : from_text(fields[i], cells[i], lengths[i]));
  }
  return row(names, std::move(values));
}

namespace {

result store_one(mysql_session& s) {
  MYSQL* m = s.handle();
  MYSQL_RES* raw = nullptr;
  s.drive([&] { return mysql_store_result_start(&raw, m); },
          [&](int ready) { return mysql_store_result_cont(&raw, m, ready); });
  result r;
  if (raw == nullptr) {
    // A lost connection clears field_count, so the error number is what tells failure
    // apart from a statement without a result set.
    if (mysql_errno(m) != 0 || mysql_field_count(m) != 0) s.raise();
    r.affected_rows = mysql_affected_rows(m);
  } else {
    result_handle res(raw);
    r.columns = names_of(raw);
    r.rows.reserve(mysql_num_rows(raw));
    for (;;) {
      // A stored result is already in memory: the `_start` call returns at once, but the
      // blocking form is never used anywhere (one rule, no exceptions to audit).
      MYSQL_ROW cells = nullptr;
      s.drive([&] { return mysql_fetch_row_start(&cells, raw); },
              [&](int ready) { return mysql_fetch_row_cont(&cells, raw, ready); });
      if (cells == nullptr) break;
      r.rows.push_back(to_row(raw, cells, r.columns));
    }
  }
  r.insert_id = mysql_insert_id(m);
  r.warnings = mysql_warning_count(m);
  return r;
}

bool next_result(mysql_session& s) {
  MYSQL* m = s.handle();
  if (!mysql_more_results(m)) return false;
  int status = 0;
  s.drive([&] { return mysql_next_result_start(&status, m); },
          [&](int ready) { return mysql_next_result_cont(&status, m, ready); });
  if (status > 0) s.raise();
  return status == 0;
}

}  // namespace

std::vector<result> read_results(mysql_session& s, bool keep_all) {
  std::vector<result> out;
  out.push_back(store_one(s));
  while (next_result(s)) {
    result r = store_one(s);
    if (keep_all) out.push_back(std::move(r));
  }
  return out;
}

void drain_results(mysql_session& s) {
  while (next_result(s)) store_one(s);
}

}  // namespace fibersql::mysql::detail
