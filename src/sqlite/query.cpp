// Running statements: prepare one, bind, step to completion, collect typed rows and counters.
#include <fibersql/sqlite/connection.hpp>

#include <sqlite3.h>

#include <cctype>

#include <fibersql/runtime/this_fiber.hpp>
#include <fibersql/sql/errors.hpp>

#include "detail/errors.hpp"
#include "detail/statement.hpp"

namespace fibersql::sqlite {

// Claims the connection for one operation: on_busy may switch fibers mid-statement, and a
// second fiber (or a re-entrant call) must get an error rather than step someone else's
// statement. A stream opened meanwhile keeps the claim past the guard.
class connection::busy_guard {
 public:
  busy_guard(connection& c, const char* what) : c_(c) {
    c_.claim_.acquire(what, {this_fiber::id(), this_fiber::name()}, c_.db_ != nullptr);
  }
  ~busy_guard() { c_.claim_.release(); }
  busy_guard(const busy_guard&) = delete;
  busy_guard& operator=(const busy_guard&) = delete;

 private:
  connection& c_;
};

namespace {

// Prepares the first statement of sql; *tail receives the rest. Returns the SQLite code.
int prepare(sqlite3* db, std::string_view sql, detail::stmt_ptr& out, std::string_view* tail) {
  sqlite3_stmt* raw = nullptr;
  const char* end = nullptr;
  const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), 0, &raw, &end);
  out.reset(raw);
  if (tail) *tail = end ? sql.substr(static_cast<std::size_t>(end - sql.data())) : sql.substr(sql.size());
  return rc;
}

// The statement's first keyword, upper-cased.
std::string leading_verb(std::string_view sql) {
  std::string word;
  for (std::size_t i = detail::skip_trivia(sql, 0); i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i]));
       ++i)
    word += static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i])));
  return word;
}

// True when the statement's first keyword is INSERT or REPLACE.
bool leading_verb_is_insert(std::string_view sql) {
  const std::string word = leading_verb(sql);
  return word == "INSERT" || word == "REPLACE";
}

// True when stepping `stmt` may wait for the disk: a COMMIT (the WAL's fdatasync and any
// auto-checkpoint run there), or a write outside a transaction (its own implicit commit).
// sqlite3_stmt_readonly is true for COMMIT itself, hence the verb.
bool may_sync(sqlite3* db, sqlite3_stmt* stmt, std::string_view sql) {
  if (!sqlite3_stmt_readonly(stmt)) return sqlite3_get_autocommit(db) != 0;
  const std::string word = leading_verb(sql);
  return word == "COMMIT" || word == "END";
}

}  // namespace

detail::stmt_ptr connection::prepare_one(std::string_view sql) {
  sqlite3* db = handle_or_throw();
  if (sql.size() > static_cast<std::size_t>(sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, -1)))
    throw data_error(SQLITE_TOOBIG, "22001",
                     "the SQL text is " + std::to_string(sql.size()) + " bytes, above SQLite's limit");

  detail::stmt_ptr stmt;
  std::string_view tail;
  for (unsigned attempt = 1;; ++attempt) {
    const int rc = prepare(db, sql, stmt, &tail);
    if (rc == SQLITE_OK) break;
    if (!(detail::is_busy(rc) && options_.on_busy && options_.on_busy(attempt))) fail(rc);
  }
  if (!stmt) {
    throw programming_error(0, "42000", "query() was given no statement (only whitespace or comments)");
  }
  if (!detail::only_trivia(tail)) {
    // One statement per call, as PyMySQL (without MULTI_STATEMENTS) and Python's sqlite3 do:
    // a pasted "; DROP TABLE" can never ride along. execute_script() runs several.
    throw programming_error(0, "42000",
                            "query() runs one statement, but the text continues after it: '" +
                                std::string(tail.substr(0, 60)) + "'; use execute_script()");
  }
  return stmt;
}

result connection::query(std::string_view sql, std::span<const value> params) {
  handle_or_throw();
  busy_guard guard(*this, "query");
  detail::stmt_ptr stmt = prepare_one(sql);
  return run(stmt.get(), sql, params);
}

result connection::run(sqlite3_stmt* stmt, std::string_view sql, std::span<const value> params) {
  sqlite3* db = handle_or_throw();
  detail::bind_params(stmt, params);

  result out;
  // The shape is read after the first step: a statement compiled before a schema change is
  // recompiled by that step (SELECT * then has the new columns).
  int ncols = 0;
  std::vector<detail::column_kind> kinds;
  bool described = false;
  const auto describe = [&] {
    described = true;
    auto names = std::make_shared<column_names>();
    ncols = sqlite3_column_count(stmt);
    for (int i = 0; i < ncols; ++i) names->emplace_back(sqlite3_column_name(stmt, i));
    out.columns = std::move(names);
    kinds = detail::column_kinds(stmt);
  };

  const sqlite3_int64 rowid_before = sqlite3_last_insert_rowid(db);
  const sqlite3_int64 total_before = sqlite3_total_changes64(db);
  const bool off_thread =
      options_.run_blocking && (options_.run_blocking_for == options::blocking::every || may_sync(db, stmt, sql));
  const auto step = [&] {
    if (!off_thread) return sqlite3_step(stmt);
    int rc = SQLITE_MISUSE;
    options_.run_blocking([&] { rc = sqlite3_step(stmt); });
    return rc;
  };
  for (unsigned attempt = 1;;) {
    const int rc = step();
    if (rc == SQLITE_ROW) {
      if (!described) describe();
      std::vector<value> values;
      values.reserve(static_cast<std::size_t>(ncols));
      for (int i = 0; i < ncols; ++i)
        values.push_back(detail::read_column(stmt, i, kinds[static_cast<std::size_t>(i)]));
      out.rows.emplace_back(out.columns, std::move(values));
      continue;
    }
    if (rc == SQLITE_DONE) break;
    if (detail::is_busy(rc) && out.rows.empty() && options_.on_busy && options_.on_busy(attempt++)) {
      sqlite3_reset(stmt);
      continue;
    }
    fail(rc);
  }
  if (!described) describe();
  // sqlite3_changes and last_insert_rowid keep the values of the last INSERT/UPDATE/DELETE
  // across later SELECTs and DDL; only trust them when this statement moved the running total.
  if (sqlite3_total_changes64(db) != total_before) {
    out.affected_rows = static_cast<std::uint64_t>(sqlite3_changes64(db));
    const sqlite3_int64 rowid = sqlite3_last_insert_rowid(db);
    // An INSERT may legitimately reuse the previous rowid (after a DELETE), so trust the verb;
    // for anything else (UPDATE, WITH ... INSERT) a rowid that moved is this statement's.
    if ((leading_verb_is_insert(sql) && out.affected_rows > 0) || rowid != rowid_before)
      out.insert_id = static_cast<std::uint64_t>(rowid);
  }
  return out;
}

// Steps its statement one row per next(); holds the connection's claim until done or closed.
// Constructed under open_stream's busy_guard; takes the claim over only once nothing can throw,
// so a refused stream (wrong parameter count) leaves the connection free.
class connection::stream_impl final : public row_stream {
 public:
  stream_impl(connection& c, detail::stmt_ptr stmt, std::vector<value> params)
      : conn_(c), stmt_(std::move(stmt)), params_(std::move(params)) {
    detail::bind_params(stmt_.get(), params_);  // bound SQLITE_STATIC: params_ lives as long
    const int ncols = sqlite3_column_count(stmt_.get());
    auto names = std::make_shared<column_names>();
    for (int i = 0; i < ncols; ++i) names->emplace_back(sqlite3_column_name(stmt_.get(), i));
    names_ = std::move(names);
    kinds_ = detail::column_kinds(stmt_.get());
    conn_.claim_.hold_for_stream();
  }
  ~stream_impl() override { release(); }
  stream_impl(const stream_impl&) = delete;
  stream_impl& operator=(const stream_impl&) = delete;

  std::optional<row> next() override {
    if (!stmt_) return std::nullopt;
    for (;;) {
      const int rc = sqlite3_step(stmt_.get());
      if (rc == SQLITE_ROW) {
        ++rows_;
        std::vector<value> values;
        values.reserve(kinds_.size());
        for (std::size_t i = 0; i < kinds_.size(); ++i)
          values.push_back(detail::read_column(stmt_.get(), static_cast<int>(i), kinds_[i]));
        return row(names_, std::move(values));
      }
      if (rc == SQLITE_DONE) {
        release();
        return std::nullopt;
      }
      if (detail::is_busy(rc) && rows_ == 0 && conn_.options_.on_busy && conn_.options_.on_busy(++busy_attempts_)) {
        sqlite3_reset(stmt_.get());
        continue;
      }
      release();
      conn_.fail(rc);
    }
  }
  void close() override { release(); }
  bool done() const noexcept override { return !stmt_; }
  const column_names& columns() const noexcept override { return *names_; }

 private:
  void release() noexcept {
    if (!stmt_) return;
    stmt_.reset();
    conn_.claim_.end_stream();
    conn_.claim_.release();
  }

  connection& conn_;
  detail::stmt_ptr stmt_;  // null once done or closed
  std::vector<value> params_;
  std::shared_ptr<const column_names> names_;
  std::vector<detail::column_kind> kinds_;
  std::uint64_t rows_ = 0;
  unsigned busy_attempts_ = 0;
};

std::unique_ptr<row_stream> connection::open_stream(std::string_view sql, std::span<const value> params) {
  busy_guard guard(*this, "open_stream");  // refuses while another statement or stream runs
  detail::stmt_ptr stmt = prepare_one(sql);
  return std::make_unique<stream_impl>(*this, std::move(stmt), std::vector<value>(params.begin(), params.end()));
}

// A statement compiled once and run again with new parameters (what query_prepared caches):
// saves SQLite's parse and plan per execute. Must not outlive its connection.
class connection::prepared_impl final : public fibersql::statement {
 public:
  prepared_impl(connection& c, detail::stmt_ptr stmt, std::string_view sql)
      : conn_(c), stmt_(std::move(stmt)), sql_(sql) {}
  result execute(std::span<const value> params) override {
    conn_.handle_or_throw();
    busy_guard guard(conn_, "execute");
    // Ready for the next run whatever happens: reset ends the read, and the bindings point
    // into this call's params.
    struct rewind {
      sqlite3_stmt* s;
      ~rewind() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } after{stmt_.get()};
    return conn_.run(stmt_.get(), sql_, params);
  }

 private:
  connection& conn_;
  detail::stmt_ptr stmt_;
  std::string sql_;
};

std::unique_ptr<fibersql::statement> connection::open_statement(std::string_view sql) {
  detail::stmt_ptr stmt;
  {
    busy_guard guard(*this, "open_statement");
    stmt = prepare_one(sql);
  }
  return std::make_unique<prepared_impl>(*this, std::move(stmt), sql);
}

void connection::execute_script(std::string_view sql) {
  sqlite3* db = handle_or_throw();
  busy_guard guard(*this, "execute_script");
  while (!detail::only_trivia(sql)) {
    detail::stmt_ptr stmt;
    std::string_view tail;
    if (const int rc = prepare(db, sql, stmt, &tail); rc != SQLITE_OK) fail(rc);
    if (stmt) {
      int rc;
      while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
      }
      if (rc != SQLITE_DONE) fail(rc);
    }
    sql = tail;
  }
}

}  // namespace fibersql::sqlite
