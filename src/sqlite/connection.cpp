// Opening, closing and the session-level calls of the SQLite connection.
#include <fibersql/sqlite/connection.hpp>

#include <sqlite3.h>

#include <fibersql/sql/errors.hpp>

#include "detail/errors.hpp"

namespace fibersql::sqlite {

void connection::db_closer::operator()(sqlite3* db) const noexcept {
  // close_v2 never fails for a handle whose statements query() has all finalized; any open
  // transaction is rolled back by SQLite itself.
  sqlite3_close_v2(db);
}

namespace {

// SQLite reads ATTACH file names as URIs when the main connection was opened with
// SQLITE_OPEN_URI, and always when it was built with SQLITE_USE_URI=1 (Debian's is), so
// `ATTACH ?` would let a bound value choose ?mode=, ?vfs= or a shared cache. At prepare
// time the authorizer sees a literal file name, and null for a bound or computed one: only
// names written in the SQL text are allowed.
int refuse_computed_attach(void*, int action, const char* file, const char*, const char*, const char*) {
  return action == SQLITE_ATTACH && file == nullptr ? SQLITE_DENY : SQLITE_OK;
}

bool is_journal_mode(std::string_view mode) {
  for (std::string_view known : {"delete", "truncate", "persist", "memory", "wal", "off"}) {
    if (mode == known) return true;
  }
  return false;
}

}  // namespace

connection::connection(std::string_view path, options opts) : path_(path), options_(std::move(opts)) {
  if (path_.find('\0') != std::string::npos) {
    throw interface_error(0, "HY000", "SQLite database path contains a NUL byte");
  }
  // NOMUTEX: a connection belongs to one fiber at a time on one hub's thread, so SQLite's
  // per-connection mutex would only cost. URI only for a "file:" path: the flag also makes
  // SQLite read ATTACH arguments as URIs, so a bound value could pick the mode or the VFS.
  int flags = SQLITE_OPEN_NOMUTEX | (path_.starts_with("file:") ? SQLITE_OPEN_URI : 0);
  flags |=
      options_.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | (options_.create ? SQLITE_OPEN_CREATE : 0);
  open_handle(path_, flags);
}

void connection::open_handle(const std::string& name, int flags) {
  if (!options_.journal_mode.empty() && !is_journal_mode(options_.journal_mode)) {
    throw interface_error(0, "HY000",
                          "SQLite journal_mode must be delete, truncate, persist, memory, wal or off, got '" +
                              options_.journal_mode + "'");
  }
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(name.c_str(), &raw, flags, nullptr);
  db_.reset(raw);  // SQLite allocates a handle even when opening fails; it must be closed
  if (rc != SQLITE_OK) {
    const int code = raw ? sqlite3_extended_errcode(raw) : rc;
    const std::string why = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    db_.reset();
    throw operational_error(static_cast<unsigned>(code), "08001",
                            "cannot open SQLite database '" + path_ + "': " + why);
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_set_authorizer(raw, &refuse_computed_attach, nullptr);
  sqlite3_busy_timeout(raw, static_cast<int>(options_.busy_timeout.count()));
  if (options_.foreign_keys) run_text("PRAGMA foreign_keys = ON");
  if (!options_.journal_mode.empty()) run_text(("PRAGMA journal_mode = " + options_.journal_mode).c_str());
}

connection::~connection() {
  close();
}

std::unique_ptr<connection> connection::open(std::string_view path, options opts) {
  return std::make_unique<connection>(path, std::move(opts));
}

std::unique_ptr<connection> connection::open_shared_memory(std::string_view name, options opts) {
  return std::make_unique<connection>(shared_memory_uri(name), std::move(opts));
}

std::string connection::shared_memory_uri(std::string_view name) {
  // Percent-encode everything but unreserved characters, so '?', '#', '%', '/' and NUL in a
  // name cannot change the URI's meaning.
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string uri = "file:";
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                            c == '_' || c == '.' || c == '~';
    if (unreserved) {
      uri += static_cast<char>(c);
    } else {
      uri += '%';
      uri += hex[c >> 4];
      uri += hex[c & 0xf];
    }
  }
  return uri + "?mode=memory&cache=shared";
}

sqlite3* connection::handle_or_throw() const {
  if (!db_) {
    throw interface_error(0, "08003",
                          std::string("the SQLite connection to '") + path_ + "' is " +
                              (claim_.broken() ? "broken and was closed" : "closed"));
  }
  return db_.get();
}

void connection::fail(int rc) {
  const detail::error_info info = detail::classify_result(rc);
  const std::string message = db_ ? sqlite3_errmsg(db_.get()) : sqlite3_errstr(rc);
  if (info.breaks_handle) {
    claim_.mark_broken();
    close();
  }
  detail::throw_result(rc, message);
}

// Runs fixed SQL text (no parameters, no rows wanted) through query(), so that busy retries
// and error mapping are the same as for user statements.
void connection::run_text(const char* sql) {
  (void)query(sql);
}

void connection::begin() {
  run_text("BEGIN");
}
void connection::commit() {
  run_text("COMMIT");
}
void connection::rollback() {
  run_text("ROLLBACK");
}

server_info connection::server_version() const noexcept {
  const int v = sqlite3_libversion_number();  // e.g. 3040001
  return {server_flavor::sqlite, v / 1000000, v / 1000 % 1000, v % 1000};
}

bool connection::in_transaction() const noexcept {
  return db_ && sqlite3_get_autocommit(db_.get()) == 0;
}

void connection::ping() {
  if (!db_) {
    throw operational_error(0, "08003", "the SQLite connection to '" + path_ + "' is closed");
  }
  run_text("SELECT 1");
}

void connection::reset() {
  if (!in_transaction()) return;
  try {
    rollback();
  } catch (const error& e) {
    // A session we cannot roll back must not reach the next user.
    claim_.mark_broken();
    close();
    throw operational_error(e.code(), e.sqlstate(), std::string("reset could not roll back: ") + e.what());
  }
}

void connection::close() noexcept {
  forget_prepared();  // the cached statements finalize before their handle closes
  db_.reset();
}

}  // namespace fibersql::sqlite
