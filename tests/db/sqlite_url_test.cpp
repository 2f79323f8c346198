// SQLite URLs (issue 10): options are parsed, never part of the file name; unknown and
// repeated options and NULs are refused; a bound value never changes how a file is opened.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <string>

#include <fibersql/db/url_source.hpp>
#include <fibersql/sql/errors.hpp>

namespace fibersql::db {
namespace {

namespace fs = std::filesystem;

class sqlite_url_test : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) / ("fibersql_sqlite_url_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string url(const std::string& file, const std::string& query = "") const {
    return "sqlite://" + (dir_ / file).string() + query;
  }
  std::size_t files() const {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()));
  }
  fs::path dir_;
};

std::int64_t one_int(connection& c, const char* sql) {
  return c.query(sql).rows.at(0).get<std::int64_t>(0);
}

TEST_F(sqlite_url_test, mode_ro_opens_read_only_and_never_names_a_file_after_the_query) {
  url_source missing(url("p.db", "?mode=ro"));
  EXPECT_THROW(missing.acquire(), operational_error);  // read-only cannot create
  EXPECT_FALSE(fs::exists(dir_ / "p.db?mode=ro"));
  EXPECT_EQ(files(), 0u);
  {
    url_source rwc(url("p.db", "?mode=rwc"));
    auto c = rwc.acquire();
    c->get().query("CREATE TABLE t (x INTEGER)");
    c->give_back(true);
  }
  url_source ro(url("p.db", "?mode=ro"));
  auto c = ro.acquire();
  EXPECT_EQ(one_int(c->get(), "SELECT COUNT(*) FROM t"), 0);
  EXPECT_THROW(c->get().query("INSERT INTO t VALUES (1)"), operational_error);
  c->give_back(true);
  EXPECT_FALSE(fs::exists(dir_ / "p.db?mode=ro"));
  url_source rw_missing(url("q.db", "?mode=rw"));
  EXPECT_THROW(rw_missing.acquire(), operational_error);  // rw does not create
  EXPECT_FALSE(fs::exists(dir_ / "q.db"));
}

TEST_F(sqlite_url_test, journal_mode_busy_timeout_and_foreign_keys_apply) {
  url_source src(url("o.db", "?journal_mode=wal&busy_timeout=250&foreign_keys=off"));
  auto c = src.acquire();
  EXPECT_EQ(c->get().query("PRAGMA journal_mode").rows.at(0).get<std::string>(0), "wal");
  EXPECT_EQ(one_int(c->get(), "PRAGMA foreign_keys"), 0);
  c->give_back(true);
  url_source plain(url("o.db"));
  auto d = plain.acquire();
  EXPECT_EQ(one_int(d->get(), "PRAGMA foreign_keys"), 1);
  d->give_back(true);
}

void expect_refused(const std::string& u, const std::string& mention) {
  try {
    url_source src(u);
    ADD_FAILURE() << u << " was accepted";
  } catch (const interface_error& e) {
    EXPECT_NE(std::string(e.what()).find(mention), std::string::npos) << e.what();
  }
}

TEST_F(sqlite_url_test, unknown_repeated_and_bad_options_and_nul_are_refused) {
  expect_refused(url("a.db", "?cache=shared"), "unknown option 'cache'");
  expect_refused(url("a.db", "?vfs=unix-none"), "unknown option 'vfs'");
  expect_refused(url("a.db", "?mode=ro&mode=rwc"), "'mode' given twice");
  expect_refused(url("a.db", "?mode=memory"), "mode must be");
  expect_refused(url("a.db", "?journal_mode=wal;DROP"), "journal_mode must be");
  expect_refused(url("a.db", "?busy_timeout=soon"), "busy_timeout");
  expect_refused(url("a.db", "?foreign_keys=maybe"), "foreign_keys");
  expect_refused(url("a.db") + std::string("\0.x", 3), "NUL");
  expect_refused("sqlite://", "no path");
  EXPECT_EQ(files(), 0u);
}

TEST_F(sqlite_url_test, a_bound_attach_argument_is_a_file_name_not_a_uri) {
  {
    url_source make(url("other.db"));
    auto c = make.acquire();
    c->get().query("CREATE TABLE secret (x INTEGER)");
    c->give_back(true);
  }
  // With SQLITE_OPEN_URI on the main connection, SQLite would open other.db read-only here
  // because a bound value said so (or pick a VFS, or a shared cache).
  const std::string uri = "file:" + (dir_ / "other.db").string() + "?mode=ro";
  for (const std::string& main : {url("main.db"), std::string("sqlite::memory:")}) {
    url_source src(main);
    auto c = src.acquire();
    bool attached = true;
    try {
      c->get().query("ATTACH ? AS other", {value(uri)});
    } catch (const error&) {
      attached = false;  // no directory named "file:..." here: also fine
    }
    if (attached) {
      EXPECT_THROW(c->get().query("SELECT COUNT(*) FROM other.secret"), error) << main << ": the URI was honoured";
      c->get().query("DETACH other");
    }
    // A computed name is refused too; a name written in the SQL text still attaches.
    EXPECT_THROW(c->get().query("ATTACH 'file:' || ? AS other", {value((dir_ / "other.db").string() + "?mode=ro")}),
                 error);
    c->get().query("ATTACH '" + (dir_ / "other.db").string() + "' AS other");
    EXPECT_EQ(one_int(c->get(), "SELECT COUNT(*) FROM other.secret"), 0);
    c->get().query("DETACH other");
    c->give_back(true);
  }
}

}  // namespace
}  // namespace fibersql::db
