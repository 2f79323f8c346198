#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// orm::does_not_exist: a query that must find a row found none (peewee's DoesNotExist).
#include <string>
#include <string_view>

#include <fibersql/sql/errors.hpp>

namespace fibersql::orm {

// A database_error with SQLSTATE 02000 ("no data") and code 0; the message names the table
// and the SQL that found nothing (never the bound values: they may be secrets).
class does_not_exist : public database_error {
 public:
  does_not_exist(std::string_view table, std::string_view sql)
      : database_error(0, "02000", "fibersql::orm: no " + std::string(table) + " row matches: " + std::string(sql)) {}
};

}  // namespace fibersql::orm
FIBERSQL_PUBLIC_END
