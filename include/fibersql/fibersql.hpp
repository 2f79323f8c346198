#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Umbrella header: every public header of every layer (each layer is always built, so no
// __has_include guards: a missing header must fail the build, not silently drop a layer).
#include <fibersql/db/database.hpp>
#include <fibersql/db/url_source.hpp>
#include <fibersql/mysql/mysql.hpp>
#include <fibersql/net/net.hpp>
#include <fibersql/pool/pool.hpp>
#include <fibersql/runtime/runtime.hpp>
#include <fibersql/sql/classify.hpp>
#include <fibersql/sql/connection.hpp>
#include <fibersql/sql/errors.hpp>
#include <fibersql/sql/result.hpp>
#include <fibersql/sql/row.hpp>
#include <fibersql/sql/value.hpp>
#include <fibersql/sqlite/connection.hpp>
#include <fibersql/version.hpp>
FIBERSQL_PUBLIC_END
