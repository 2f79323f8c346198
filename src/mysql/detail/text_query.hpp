#pragma once
// Text-protocol statements and the conversion of their result sets.
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include <fibersql/sql/result.hpp>

#include "session.hpp"

namespace fibersql::mysql::detail {

// send_text_query: binds params into the SQL text and sends it; the reply's first result is
// then ready for mysql_store_result or mysql_use_result. Call inside session::run.
void send_text_query(mysql_session& s, std::string_view sql, std::span<const value> params);
// read_results: stores every pending result (the first only, or all), draining the rest so the
// session is ready for the next command. Call inside session::run.
std::vector<result> read_results(mysql_session& s, bool keep_all);
// drain_results: reads and drops any results still pending after the current one.
void drain_results(mysql_session& s);
// The column names of a result, shared by its rows.
std::shared_ptr<const column_names> names_of(MYSQL_RES* res);
// One text-protocol row as typed values.
row to_row(MYSQL_RES* res, MYSQL_ROW cells, const std::shared_ptr<const column_names>& names);

}  // namespace fibersql::mysql::detail
