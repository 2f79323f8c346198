#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// What database_options::on_statement sees of each statement a database ran.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string_view>

#include <fibersql/runtime/clock.hpp>

namespace fibersql::db {

struct statement_event {
  std::uint64_t fiber_id = 0;   // the fiber that ran it (0 outside any fiber)
  std::string_view fiber_name;  // that fiber's name; valid during the call only
  std::string_view sql;         // the statement text (BEGIN/COMMIT too); valid during the call only
  std::size_t param_count = 0;  // bound parameters
  clock::duration duration{};   // from sending to the result (or the error), this fiber's view
  std::uint64_t rows = 0;       // rows returned, or rows affected when none were returned
  std::exception_ptr error;     // what the statement threw; null on success
};

}  // namespace fibersql::db
FIBERSQL_PUBLIC_END
