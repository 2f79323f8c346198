// The placeholder scanner without a server: modes, multibyte text, comments, and when it
// must ask the server.
#include <gtest/gtest.h>

#include "mysql/detail/sql_scan.hpp"

namespace fibersql::mysql::detail {
namespace {

std::size_t count(std::string_view sql, const sql_lexer_mode& mode = {}) {
  return scan_placeholders(sql, mode).placeholders.size();
}

TEST(mysql_sql_scan, literals_and_comments_hide_placeholders) {
  EXPECT_EQ(count("SELECT '?', \"?\", `?`, ? -- ?\n, ? # ?\n /* ? */"), 2u);
  EXPECT_EQ(count("SELECT 'it''s ?', ?"), 1u);
  EXPECT_EQ(count("SELECT 'a\\'?', ?"), 1u);
  // The server runs the text of /*! and /*M! comments: their '?' are placeholders.
  EXPECT_EQ(count("SELECT /*! ? */ 1, /*M!100000 ? */ 2"), 2u);
  EXPECT_EQ(count("SELECT /*! 'x */ ?'"), 0u);
}

TEST(mysql_sql_scan, modes_change_where_literals_end) {
  sql_lexer_mode no_escapes;
  no_escapes.backslash_escapes = false;
  EXPECT_EQ(count("SELECT 'a\\', ?", no_escapes), 1u);
  EXPECT_EQ(count("SELECT 'a\\', ?"), 0u);
  sql_lexer_mode ansi;
  ansi.ansi_quotes = true;
  ansi.exact = true;
  EXPECT_EQ(count("SELECT 1 AS \"a\\\", ?", ansi), 1u);
}

TEST(mysql_sql_scan, guesses_that_matter_are_reported) {
  EXPECT_TRUE(scan_placeholders("SELECT \"a\\\", ?", {}).ambiguous);   // ANSI_QUOTES decides
  EXPECT_TRUE(scan_placeholders("SELECT '\x83\\', ?", {}).ambiguous);  // the charset decides
  EXPECT_FALSE(scan_placeholders("SELECT 'a\\'', \"b\", ?", {}).ambiguous);
  sql_lexer_mode sjis;
  sjis.charset = mariadb_get_charset_by_name("sjis");
  sjis.exact = true;
  ASSERT_NE(sjis.charset, nullptr);
  EXPECT_EQ(count("SELECT '\x83\\', ?", sjis), 1u);
}

}  // namespace
}  // namespace fibersql::mysql::detail
