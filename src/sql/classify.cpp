// The one SQLSTATE-class table (see classify.hpp for the reasoning behind each row).
#include <fibersql/sql/classify.hpp>

#include <string>

#include <fibersql/sql/errors.hpp>

namespace fibersql {
namespace {

struct class_row {
  std::string_view state_class;
  error_kind kind;
};

constexpr class_row sqlstate_classes[] = {
    {"08", error_kind::operational}, {"28", error_kind::operational},   {"40", error_kind::operational},
    {"53", error_kind::operational}, {"54", error_kind::operational},   {"55", error_kind::operational},
    {"57", error_kind::operational}, {"58", error_kind::operational},   {"HY", error_kind::operational},
    {"23", error_kind::integrity},   {"44", error_kind::integrity},     {"07", error_kind::programming},
    {"21", error_kind::programming}, {"26", error_kind::programming},   {"34", error_kind::programming},
    {"3D", error_kind::programming}, {"3F", error_kind::programming},   {"42", error_kind::programming},
    {"22", error_kind::data},        {"0A", error_kind::not_supported}, {"24", error_kind::internal},
    {"25", error_kind::internal},    {"2D", error_kind::internal},      {"2F", error_kind::internal},
    {"XX", error_kind::internal},    {"IM", error_kind::interface},
};

}  // namespace

error_kind kind_from_sqlstate(std::string_view sqlstate) noexcept {
  if (sqlstate.size() != 5) sqlstate = "HY000";
  const std::string_view state_class = sqlstate.substr(0, 2);
  for (const class_row& row : sqlstate_classes) {
    if (row.state_class == state_class) return row.kind;
  }
  return error_kind::database;
}

error_kind classify(error_kind known, std::string_view sqlstate) noexcept {
  return known != error_kind::unknown ? known : kind_from_sqlstate(sqlstate);
}

const char* kind_name(error_kind kind) noexcept {
  switch (kind) {
    case error_kind::unknown:
      return "unknown";
    case error_kind::database:
      return "database_error";
    case error_kind::interface:
      return "interface_error";
    case error_kind::concurrent_use:
      return "concurrent_use_error";
    case error_kind::operational:
      return "operational_error";
    case error_kind::pool_timeout:
      return "pool_timeout";
    case error_kind::integrity:
      return "integrity_error";
    case error_kind::programming:
      return "programming_error";
    case error_kind::data:
      return "data_error";
    case error_kind::internal:
      return "internal_error";
    case error_kind::not_supported:
      return "not_supported_error";
  }
  return "unknown";
}

void throw_classified(unsigned code, std::string_view sqlstate, std::string_view message, error_kind known) {
  std::string state(sqlstate);
  const std::string text(message);
  switch (classify(known, sqlstate)) {
    case error_kind::interface:
      throw interface_error(code, std::move(state), text);
    case error_kind::concurrent_use:
      throw concurrent_use_error(code, std::move(state), text);
    case error_kind::operational:
      throw operational_error(code, std::move(state), text);
    case error_kind::pool_timeout:
      throw pool_timeout(code, std::move(state), text);
    case error_kind::integrity:
      throw integrity_error(code, std::move(state), text);
    case error_kind::programming:
      throw programming_error(code, std::move(state), text);
    case error_kind::data:
      throw data_error(code, std::move(state), text);
    case error_kind::internal:
      throw internal_error(code, std::move(state), text);
    case error_kind::not_supported:
      throw not_supported_error(code, std::move(state), text);
    case error_kind::unknown:
    case error_kind::database:
      break;
  }
  throw database_error(code, std::move(state), text);
}

}  // namespace fibersql
