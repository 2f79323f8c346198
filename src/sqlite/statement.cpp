#include "detail/statement.hpp"

#include <cctype>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>

#include <fibersql/sql/errors.hpp>
#include <fibersql/sql/value_text.hpp>

#include "detail/errors.hpp"

namespace fibersql::sqlite::detail {
namespace {

std::string param_label(std::size_t i, std::size_t n) {
  return "parameter " + std::to_string(i + 1) + " of " + std::to_string(n);
}

int bind_text(sqlite3_stmt* stmt, int pos, const std::string& text) {
  return sqlite3_bind_text64(stmt, pos, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
}

// Binds one value at 1-based pos; returns the SQLite result code.
int bind_one(sqlite3_stmt* stmt, int pos, const value& v, const std::string& label) {
  return std::visit(
      [&](const auto& x) -> int {
        using t = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<t, std::monostate>)
          return sqlite3_bind_null(stmt, pos);
        else if constexpr (std::is_same_v<t, bool>)
          return sqlite3_bind_int(stmt, pos, x ? 1 : 0);
        else if constexpr (std::is_same_v<t, std::int64_t>)
          return sqlite3_bind_int64(stmt, pos, x);
        else if constexpr (std::is_same_v<t, std::uint64_t>) {
          if (x > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
            throw data_error(0, "22003",
                             label + " is " + describe(v) + ", above SQLite's INTEGER maximum 9223372036854775807");
          return sqlite3_bind_int64(stmt, pos, static_cast<sqlite3_int64>(x));
        } else if constexpr (std::is_same_v<t, double>) {
          // SQLite would silently store NaN as NULL; refuse instead of losing the value.
          if (std::isnan(x)) throw data_error(0, "22000", label + " is NaN, which SQLite cannot store");
          return sqlite3_bind_double(stmt, pos, x);
        } else if constexpr (std::is_same_v<t, std::string>)
          return bind_text(stmt, pos, x);
        else if constexpr (std::is_same_v<t, bytes>)
          return sqlite3_bind_blob64(stmt, pos, x.data.data(), x.data.size(), SQLITE_STATIC);
        else {
          std::string text;
          try {
            if constexpr (std::is_same_v<t, date>)
              text = format_date(x);
            else if constexpr (std::is_same_v<t, datetime>)
              text = format_datetime(x);
            else
              text = format_time(x);
          } catch (const data_error& e) {
            throw data_error(0, "22007", label + ": " + e.what());
          }
          return sqlite3_bind_text64(stmt, pos, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
        }
      },
      v);
}

// The leading identifier of a declared type, upper-cased: "datetime(6)" -> "DATETIME".
std::string type_word(const char* decl) {
  std::string word;
  for (; decl && *decl && std::isalpha(static_cast<unsigned char>(*decl)); ++decl)
    word += static_cast<char>(std::toupper(static_cast<unsigned char>(*decl)));
  return word;
}

}  // namespace

void bind_params(sqlite3_stmt* stmt, std::span<const value> params) {
  const auto wanted = static_cast<std::size_t>(sqlite3_bind_parameter_count(stmt));
  if (wanted != params.size()) {
    throw programming_error(0, "07001",
                            "the statement has " + std::to_string(wanted) + " placeholders but " +
                                std::to_string(params.size()) + " parameters were given");
  }
  for (std::size_t i = 0; i < params.size(); ++i) {
    const std::string label = param_label(i, params.size());
    const int rc = bind_one(stmt, static_cast<int>(i + 1), params[i], label);
    if (rc != SQLITE_OK) throw_result(rc, label + " (" + describe(params[i]) + "): " + sqlite3_errstr(rc));
  }
}

std::vector<column_kind> column_kinds(sqlite3_stmt* stmt) {
  const int n = sqlite3_column_count(stmt);
  std::vector<column_kind> kinds(static_cast<std::size_t>(n), column_kind::plain);
  for (int i = 0; i < n; ++i) {
    const std::string word = type_word(sqlite3_column_decltype(stmt, i));
    auto& kind = kinds[static_cast<std::size_t>(i)];
    if (word == "DATETIME" || word == "TIMESTAMP")
      kind = column_kind::datetime;
    else if (word == "DATE")
      kind = column_kind::date;
    else if (word == "TIME")
      kind = column_kind::time;
    else if (word == "BOOLEAN" || word == "BOOL")
      kind = column_kind::boolean;
  }
  return kinds;
}

value read_column(sqlite3_stmt* stmt, int i, column_kind kind) {
  switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER: {
      const std::int64_t n = sqlite3_column_int64(stmt, i);
      if (kind == column_kind::boolean && (n == 0 || n == 1)) return n == 1;
      return n;
    }
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt, i);
    case SQLITE_TEXT: {
      // sqlite3_column_text before sqlite3_column_bytes, as SQLite's docs require; the byte
      // count keeps embedded NULs.
      const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
      std::string text(p ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(stmt, i)));
      if (kind == column_kind::date) {
        if (auto d = parse_date(text)) return *d;
      } else if (kind == column_kind::datetime) {
        if (auto t = parse_datetime(text)) return *t;
      } else if (kind == column_kind::time) {
        if (auto t = parse_time(text)) return *t;
      }
      return text;
    }
    case SQLITE_BLOB: {
      const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, i));
      const auto n = static_cast<std::size_t>(sqlite3_column_bytes(stmt, i));
      return bytes{p ? std::string(p, n) : std::string()};
    }
    default:
      return null;
  }
}

std::size_t skip_trivia(std::string_view text, std::size_t i) noexcept {
  while (i < text.size()) {
    const char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c)) || c == ';') {
      ++i;
    } else if (text.substr(i, 2) == "--") {
      const auto end = text.find('\n', i);
      i = end == std::string_view::npos ? text.size() : end + 1;
    } else if (text.substr(i, 2) == "/*") {
      const auto end = text.find("*/", i + 2);  // unterminated: SQLite ends it at end of text
      i = end == std::string_view::npos ? text.size() : end + 2;
    } else {
      break;
    }
  }
  return i;
}

bool only_trivia(std::string_view text) noexcept {
  return skip_trivia(text, 0) == text.size();
}

}  // namespace fibersql::sqlite::detail
