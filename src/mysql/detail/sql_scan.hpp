#pragma once
// Finding the '?' placeholders of a statement the way the server's lexer will read it.
#include <cstddef>
#include <string_view>
#include <vector>

#include <mysql.h>

namespace fibersql::mysql::detail {

// How the session lexes SQL text. A wrong guess matters only for rare text (a backslash in
// a "..." section, a multibyte character whose second byte is 0x5c), and the scanner says
// when it met such text, so the caller can ask the server for the exact mode.
struct sql_lexer_mode {
  bool backslash_escapes = true;  // sql_mode lacks NO_BACKSLASH_ESCAPES
  bool ansi_quotes = false;       // sql_mode has ANSI_QUOTES: "..." is an identifier
  // The client charset: multibyte characters are skipped whole (sjis "\x83\x5c" is one
  // character, not a backslash). Null: single bytes.
  const MARIADB_CHARSET_INFO* charset = nullptr;
  bool exact = false;  // read from the server just now: nothing is ambiguous
};

struct sql_scan {
  std::vector<std::size_t> placeholders;  // offsets of the '?' outside literals and comments
  bool ambiguous = false;                 // the answer depends on what `mode` only guessed (never when exact)
};

// scan_placeholders: the placeholders of `sql` under `mode`. Quoted literals and
// identifiers, `#`, `-- ` and `/* */` comments hide a '?'; `/*!` and `/*M!` comments are
// executed by the server, so their text is scanned as SQL.
sql_scan scan_placeholders(std::string_view sql, const sql_lexer_mode& mode);

// The mode the client believes in: NO_BACKSLASH_ESCAPES from the server status of the last
// reply (always reported), the charset Connector/C tracks, ANSI_QUOTES unknown (false).
sql_lexer_mode client_lexer_mode(MYSQL* m);

}  // namespace fibersql::mysql::detail
