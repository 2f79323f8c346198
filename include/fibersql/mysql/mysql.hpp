#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Umbrella header of the MySQL/MariaDB layer.
#include <fibersql/mysql/connection.hpp>
#include <fibersql/mysql/options.hpp>
#include <fibersql/mysql/row_stream.hpp>
#include <fibersql/mysql/statement.hpp>
FIBERSQL_PUBLIC_END
