// Secrets in URLs: no password in any URL error, in redact_url, or in a database's dump;
// NUL escapes and repeated options are refused. A mutation loop edits URLs that carry a
// known password at every position with every troublesome character.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <fibersql/db/database.hpp>
#include <fibersql/mysql/options.hpp>
#include <fibersql/mysql/redact.hpp>
#include <fibersql/sql/errors.hpp>

namespace fibersql {
namespace {

constexpr std::string_view secret = "Zq7Kx9Vw";

bool leaks(const std::string& text) {
  return text.find(secret) != std::string::npos;
}

// Every text a URL can produce: the parse error, or the redactions of a URL that parsed.
void expect_no_leak(const std::string& url) {
  const std::string shown = mysql::redact_url(url);
  EXPECT_FALSE(leaks(shown)) << "redact_url(" << url << ") = " << shown;
  try {
    const auto o = mysql::parse_url(url);
    EXPECT_FALSE(leaks(redacted_url(o))) << url << " -> " << redacted_url(o);
  } catch (const std::exception& e) {
    EXPECT_FALSE(leaks(e.what())) << url << " -> " << e.what();
  }
}

TEST(mysql_url_secrets, redaction_follows_the_parsers_split) {
  // The parser takes the password up to the last '@' of the authority; masking at the first
  // '@' showed "ss" + host.
  const std::string url = "mysql://app:Zq7K@x9Vw@db1:3307/prod?ssl=false";
  const auto o = mysql::parse_url(url);
  EXPECT_EQ(o.password, "Zq7K@x9Vw");
  EXPECT_EQ(mysql::redact_url(url), "mysql://***@db1:3307/prod?ssl=false");
  EXPECT_EQ(mysql::redact_url("mysql://root@h/d"), "mysql://***@h/d");
  EXPECT_EQ(mysql::redact_url("sqlite:///tmp/p.db"), "sqlite:///tmp/p.db");
}

TEST(mysql_url_secrets, malformed_urls_never_echo_the_password) {
  const std::vector<std::string> urls = {
      "mysql://app:Zq7Kx9Vw/prod",        // forgotten @host: the password became a port
      "mysql://app:Zq7K/x9Vw@db/prod",    // '/' in the password
      "mysql://app:Zq7K?x9Vw@db/prod",    // '?' in the password
      "mysql://app:Zq7K?x9Vw=1@db/prod",  // ... that looks like an option
      "mysql:/app:Zq7Kx9Vw@db/prod",      // scheme typo
      "mysql//app:Zq7Kx9Vw@db/prod",      // scheme typo
      "mysq://app:Zq7Kx9Vw@db/prod",      // unknown scheme
      "mysql://app:Zq7Kx9Vw@db:x9/prod",  // bad port
      "mysql://app:Zq7Kx9Vw%zz@db/prod",  // bad escape inside the password
      "mysql://app:Zq7Kx9Vw",             // no host at all
  };
  for (const std::string& url : urls) {
    EXPECT_THROW(mysql::parse_url(url), interface_error) << url;
    expect_no_leak(url);
  }
}

TEST(mysql_url_secrets, database_describe_and_dump_hide_the_password) {
  db::database d("mysql://app:Zq7K@x9Vw@127.0.0.1:1/prod");
  const std::string dump = d.dump();
  EXPECT_FALSE(leaks(dump)) << dump;
  EXPECT_NE(dump.find("mysql://***@127.0.0.1:1/prod"), std::string::npos) << dump;
  try {
    db::database bad("mysql:/app:Zq7Kx9Vw@127.0.0.1/prod");
    ADD_FAILURE() << "a URL without backend was accepted";
  } catch (const interface_error& e) {
    EXPECT_FALSE(leaks(e.what())) << e.what();
  }
}

TEST(mysql_url_secrets, nul_escapes_are_refused) {
  EXPECT_THROW(mysql::parse_url("mysql://app%00junk:pw@h/d"), interface_error);
  EXPECT_THROW(mysql::parse_url("mysql://app:pw%00@h/d"), interface_error);
  EXPECT_THROW(mysql::parse_url("mysql://app:pw@h%00x/d"), interface_error);
  EXPECT_THROW(mysql::parse_url("mysql://app:pw@h/d%00x"), interface_error);
  EXPECT_THROW(mysql::parse_url("mysql://app:pw@h/d?ssl_ca=/a%00b"), interface_error);
  EXPECT_THROW(mysql::parse_url("mysql://app:pw@h/d?ssl%00=1"), interface_error);
  EXPECT_THROW(mysql::parse_url(std::string_view("mysql://app:pw@h/d\0x", 21)), interface_error);
}

TEST(mysql_url_secrets, repeated_options_are_refused) {
  try {
    mysql::parse_url("mysql://app:pw@h/d?ssl=true&ssl=false");
    ADD_FAILURE() << "a repeated option was accepted";
  } catch (const interface_error& e) {
    EXPECT_NE(std::string(e.what()).find("'ssl'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(mysql::parse_url("mysql://app:pw@h/d?connect_timeout=1&connect_timeout=2"), interface_error);
  // init_command is a list by design.
  EXPECT_EQ(mysql::parse_url("mysql://u:p@h/d?init_command=SET%20@a=1&init_command=SET%20@b=2").init_commands.size(),
            2u);
}

// Every single-character edit (delete, replace, insert) at every position of URLs whose
// password holds each troublesome character: no text the library shows contains it.
TEST(mysql_url_secrets, mutation_loop_never_shows_the_password) {
  const std::vector<std::string> templates = {
      "mysql://app:Zq7Kx9Vw@db1:3306/prod",
      "mysql://app:Zq7Kx9Vw@db1/prod?connect_timeout=5&ssl=false",
      "mariadb://app:Zq7Kx9Vw@[::1]:3306/prod",
      "mysql://app:Zq7Kx9Vw@/prod?socket=/run/mysqld/mysqld.sock",
      "mysql://a%40b:Zq7Kx9Vw@db1:3306/prod?init_command=SET%20@x=1",
      "mysql://app:Zq7Kx9Vw@@db1/prod",
      "mysql://app:Zq7Kx9Vw@db1/prod?ssl_ca=/etc/ca.pem",
      "mysql://app:Zq7Kx9Vw:@db1/prod",
  };
  const std::string alphabet = "@:/?#&=%[]. \\'\"aZ09_-";
  std::size_t mutations = 0;
  for (const std::string& base : templates) {
    for (std::size_t pos = 0; pos <= base.size(); ++pos) {
      if (pos < base.size()) {
        std::string deleted = base;
        deleted.erase(pos, 1);
        expect_no_leak(deleted);
        ++mutations;
      }
      for (char c : alphabet) {
        if (pos < base.size()) {
          std::string replaced = base;
          replaced[pos] = c;
          expect_no_leak(replaced);
          ++mutations;
        }
        std::string inserted = base;
        inserted.insert(pos, 1, c);
        expect_no_leak(inserted);
        ++mutations;
        // And a second insert of the same character further on (pairs such as "/.../").
        for (std::size_t far = pos + 1; far <= inserted.size(); far += 2) {
          std::string twice = inserted;
          twice.insert(far, 1, c);
          expect_no_leak(twice);
          ++mutations;
        }
      }
      if (HasFailure()) return;  // one report is enough
    }
  }
  EXPECT_GE(mutations, 100000u);
}

}  // namespace
}  // namespace fibersql
