#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// fibersql::orm — models, typed expressions, queries as values and their SQL for SQLite,
// MariaDB and MySQL 8 (docs/orm.md).
#include <fibersql/orm/batches.hpp>
#include <fibersql/orm/bulk.hpp>
#include <fibersql/orm/column.hpp>
#include <fibersql/orm/column_info.hpp>
#include <fibersql/orm/column_options.hpp>
#include <fibersql/orm/crud.hpp>
#include <fibersql/orm/delete_from.hpp>
#include <fibersql/orm/dialect.hpp>
#include <fibersql/orm/errors.hpp>
#include <fibersql/orm/expr.hpp>
#include <fibersql/orm/functions.hpp>
#include <fibersql/orm/insert.hpp>
#include <fibersql/orm/pipeline.hpp>
#include <fibersql/orm/prefetch.hpp>
#include <fibersql/orm/raw.hpp>
#include <fibersql/orm/repeat_detector.hpp>
#include <fibersql/orm/schema.hpp>
#include <fibersql/orm/select.hpp>
#include <fibersql/orm/statement.hpp>
#include <fibersql/orm/statement_counter.hpp>
#include <fibersql/orm/statement_observer.hpp>
#include <fibersql/orm/stream.hpp>
#include <fibersql/orm/table.hpp>
#include <fibersql/orm/update.hpp>
#include <fibersql/orm/value_traits.hpp>
FIBERSQL_PUBLIC_END
