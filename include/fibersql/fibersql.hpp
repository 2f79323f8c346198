#pragma once
// Umbrella header: every public header of every layer.
#include <fibersql/runtime/runtime.hpp>
#if __has_include(<fibersql/net/net.hpp>)
#include <fibersql/net/net.hpp>
#endif
#if __has_include(<fibersql/sql/connection.hpp>)
#include <fibersql/sql/connection.hpp>
#include <fibersql/sql/errors.hpp>
#endif
#if __has_include(<fibersql/mysql/connection.hpp>)
#include <fibersql/mysql/connection.hpp>
#endif
#if __has_include(<fibersql/sqlite/connection.hpp>)
#include <fibersql/sqlite/connection.hpp>
#endif
#if __has_include(<fibersql/db/database.hpp>)
#include <fibersql/db/database.hpp>
#endif
#if __has_include(<fibersql/pool/pool.hpp>)
#include <fibersql/pool/pool.hpp>
#endif
