// scan_placeholders: see sql_scan.hpp.
#include "detail/sql_scan.hpp"

namespace fibersql::mysql::detail {
namespace {

// The end of the quoted section that starts at `open`, under `mode`; notes ambiguity.
std::size_t quoted_end(std::string_view sql, std::size_t open, const sql_lexer_mode& mode, bool& ambiguous) {
  const char q = sql[open];
  const bool is_string = q == '\'' || (q == '"' && !mode.ansi_quotes);
  const bool escapes = is_string && mode.backslash_escapes;  // identifiers have no escapes
  const bool multibyte = mode.charset != nullptr && mode.charset->char_maxlen > 1 && mode.charset->mb_valid != nullptr;
  std::size_t j = open + 1;
  while (j < sql.size()) {
    const auto b = static_cast<unsigned char>(sql[j]);
    if (b >= 0x80) {
      // Whether a 0x5c after a high byte is a backslash depends on the charset, which the
      // client may not know (SET NAMES with session tracking off).
      if (!mode.exact && j + 1 < sql.size() && sql[j + 1] == '\\') ambiguous = true;
      const unsigned len = multibyte ? mode.charset->mb_valid(sql.data() + j, sql.data() + sql.size()) : 0;
      j += len > 1 ? len : 1;
      continue;
    }
    if (b == '\\') {
      // "a\" is a string with an escaped quote, or a whole identifier under ANSI_QUOTES.
      if (q == '"' && mode.backslash_escapes && !mode.exact) ambiguous = true;
      if (escapes) {
        j += 2;
        continue;
      }
    } else if (sql[j] == q) {
      if (j + 1 < sql.size() && sql[j + 1] == q) {
        j += 2;  // a doubled quote stays inside
        continue;
      }
      return j + 1;
    }
    ++j;
  }
  return sql.size();
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace

sql_scan scan_placeholders(std::string_view sql, const sql_lexer_mode& mode) {
  sql_scan out;
  std::size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    const char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
    if (c == '\'' || c == '"' || c == '`') {
      i = quoted_end(sql, i, mode, out.ambiguous);
    } else if (c == '#' || (c == '-' && next == '-' && (i + 2 >= sql.size() || is_space(sql[i + 2])))) {
      const std::size_t eol = sql.find('\n', i);
      i = eol == std::string_view::npos ? sql.size() : eol;
    } else if (c == '/' && next == '*') {
      if (sql.substr(i, 3) == "/*!") {
        i += 3;  // executable comment: the server runs its text
      } else if (sql.substr(i, 4) == "/*M!") {
        i += 4;
      } else {
        const std::size_t close = sql.find("*/", i + 2);
        i = close == std::string_view::npos ? sql.size() : close + 2;
      }
    } else {
      if (c == '?') out.placeholders.push_back(i);
      ++i;
    }
  }
  return out;
}

sql_lexer_mode client_lexer_mode(MYSQL* m) {
  sql_lexer_mode mode;
  mode.backslash_escapes = (m->server_status & SERVER_STATUS_NO_BACKSLASH_ESCAPES) == 0;
  mode.charset = m->charset;
  return mode;
}

}  // namespace fibersql::mysql::detail
