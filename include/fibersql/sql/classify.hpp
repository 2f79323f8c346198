#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Turning a backend's (code, SQLSTATE, message) into the right class of the DB-API hierarchy.
//
// A backend keeps its own errno table (MySQL's ER_*/CR_*, SQLite's result codes) mapping codes
// it knows to an error_kind, and passes error_kind::unknown for everything else. Unknown codes
// then fall back to the SQLSTATE class, in one table in src/sql/classify.cpp:
//
//   08 connection exception, 28 authorization, 40 transaction rollback (deadlock),
//   53/54/55/57/58 resources, limits, operator intervention, system, HY general error
//                                                        -> operational_error (poisons)
//   23 integrity constraint violation, 44 WITH CHECK OPTION      -> integrity_error
//   07 dynamic SQL, 21 cardinality, 26/34 bad statement/cursor name,
//   3D/3F bad catalog/schema, 42 syntax or access rule            -> programming_error
//   22 data exception                                             -> data_error
//   0A feature not supported                                      -> not_supported_error
//   24 cursor state, 25 transaction state, 2D/2F, XX internal     -> internal_error
//   IM driver manager                                             -> interface_error
//   anything else (01 warning, 02 no data, 45 user SIGNAL, ...)   -> database_error
//
// Why HY is operational: MySQL reports most errors without a specific state as HY000, and an
// errno the backend's table does not know leaves us unsure the session is sound; PyMySQL makes
// the same call (unknown errno >= 1000 -> OperationalError). Discarding a connection that was
// fine costs a reconnect; keeping one that was not costs a corrupted conversation.
#include <string_view>

namespace fibersql {

enum class error_kind {
  unknown,  // not in the backend's table: decide by SQLSTATE class
  database,
  interface,
  concurrent_use,
  operational,
  pool_timeout,
  integrity,
  programming,
  data,
  internal,
  not_supported,
};

// kind_from_sqlstate: the error_kind for a SQLSTATE's two-character class (table above).
// A state that is not five characters counts as "HY000". Never returns error_kind::unknown.
error_kind kind_from_sqlstate(std::string_view sqlstate) noexcept;

// classify: `known` when the backend's table knew the code, else the SQLSTATE fallback.
error_kind classify(error_kind known, std::string_view sqlstate) noexcept;

// kind_name: "operational_error", "integrity_error", ... for logs and test messages.
const char* kind_name(error_kind kind) noexcept;

// throw_classified: throws the exception class for classify(known, sqlstate), carrying code,
// sqlstate ("HY000" when empty) and message unchanged.
// Throws: always, a subclass of fibersql::error.
[[noreturn]] void throw_classified(unsigned code, std::string_view sqlstate, std::string_view message,
                                   error_kind known = error_kind::unknown);

}  // namespace fibersql
FIBERSQL_PUBLIC_END
