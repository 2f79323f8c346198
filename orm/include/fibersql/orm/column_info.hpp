#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// Constant metadata of a column and a table: what FIBERSQL_TABLE (or the hand-written table
// struct) records once, and what the non-template renderers in orm/src read. Literal types,
// so `static_assert(users.username.info->options.unique)` works.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace fibersql::orm {

// The C++ value type of a column, as the renderers need it (§7.4 type mapping).
enum class sql_type { unknown, boolean, int16, int32, int64, uint64, real32, real64, text, blob, date, datetime, time };

// ON DELETE / ON UPDATE actions of a reference.
enum class fk_action { none, cascade, restrict, set_null, set_default, no_action };

// A DEFAULT written in DDL: DDL cannot bind parameters, so it is a compile-time literal.
struct default_literal {
  enum class kind { none, integer, real, boolean, text } k = kind::none;
  std::int64_t integer = 0;
  double real = 0;
  std::string_view text{};
};

struct column_info;

// A foreign key: either a resolved column (`references(users.id)`), this table's primary key
// (`references_self`), or names resolved when the schema is rendered (`references_deferred`).
struct reference_info {
  const column_info* target = nullptr;
  bool self = false;
  bool deferred = false;
  std::string_view deferred_table{};
  std::string_view deferred_column{};
  fk_action on_delete = fk_action::none;
  fk_action on_update = fk_action::none;
  constexpr bool present() const noexcept { return target != nullptr || self || deferred; }
};

// The options of one column, after make_options<Member> checked each against the member.
struct option_set {
  bool auto_increment = false;
  bool primary_key = false;
  bool unique = false;
  bool index = false;
  bool text = false;
  bool default_now = false;
  int max_length = 0;  // characters (strings) or bytes (bytes); 0 = the dialect's default
  default_literal default_value{};
  std::string_view sql_name{};  // column_name("..."); empty = the member's name
  reference_info references{};
};

struct column_info {
  std::string_view table;   // SQL table name
  std::string_view name;    // SQL column name
  std::string_view member;  // C++ member name
  sql_type type = sql_type::unknown;
  bool nullable = false;  // the member is std::optional
  option_set options{};
  constexpr bool is_primary_key() const noexcept { return options.primary_key || options.auto_increment; }
};

struct table_info {
  std::string_view name;
  std::span<const column_info> columns;
};

// A table-level key from FIBERSQL_TABLE_META: composite primary key, (unique) index.
struct key_info {
  enum class kind { primary_key, index, unique_index } k = kind::index;
  std::array<const column_info*, 8> columns{};
  std::size_t size = 0;
};

struct table_meta {
  std::array<key_info, 8> keys{};
  std::size_t size = 0;
};

}  // namespace fibersql::orm
FIBERSQL_PUBLIC_END
