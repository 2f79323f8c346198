#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// raw<M>(db, sql, params): hand-written SQL whose rows become models, matched by column name.
// The result's shape is checked before any row is read (Boost.MySQL's metadata check): every
// column of the model must be in the result, else a programming_error naming what is missing
// and what the result has ("users.email not in result; result has id, username").
#include <cstddef>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <fibersql/db/database.hpp>
#include <fibersql/orm/crud.hpp>
#include <fibersql/orm/decode.hpp>

namespace fibersql::orm {

namespace detail {
// column_indexes: the result index of each of the table's columns, in declaration order.
// Throws: programming_error naming the missing columns and the result's columns.
std::vector<std::size_t> column_indexes(const table_info& t, const column_names& result);
}  // namespace detail

// raw: runs sql with params on the calling fiber's connection; each row as an M.
// Throws: programming_error (shape), data_error naming the model's column, the database's.
template <detail::model M>
std::vector<M> raw(db::database& db, std::string_view sql, std::span<const value> params = {}) {
  const auto& t = detail::table_of<M>();
  using table_t = std::remove_cvref_t<decltype(t)>;
  fibersql::result r = db.execute(sql, params);
  const std::vector<std::size_t> at = detail::column_indexes(table_t::fibersql_info, *r.columns);
  std::vector<M> out;
  out.reserve(r.rows.size());
  for (fibersql::row& row : r.rows) {
    M m{};
    std::size_t k = 0;
    table_t::fibersql_each(t, [&](const auto& c) {
      using member = typename std::remove_cvref_t<decltype(c)>::member_type;
      try {
        m.*c.member = detail::read_value<member>(row, at[k++]);
      } catch (const data_error& e) {
        throw data_error(e.code(), e.sqlstate(),
                         std::string(c.info->table) + "." + std::string(c.info->name) + ": " + e.what());
      }
    });
    out.push_back(std::move(m));
  }
  return out;
}
template <detail::model M>
std::vector<M> raw(db::database& db, std::string_view sql, std::initializer_list<value> params) {
  return raw<M>(db, sql, std::span<const value>(params.begin(), params.size()));
}

}  // namespace fibersql::orm
FIBERSQL_PUBLIC_END
