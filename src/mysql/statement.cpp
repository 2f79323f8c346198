// Server-side prepared statements: binary protocol both ways.
#include <fibersql/mysql/statement.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "detail/reply_wait.hpp"
#include "detail/session.hpp"
#include "detail/values.hpp"

namespace fibersql::mysql {
namespace detail {

// Parameter binds point into the caller's values; only times need converted storage.
struct param_binds {
  std::vector<MYSQL_BIND> binds;
  std::vector<MYSQL_TIME> times;
  std::vector<char> bools;
};

// Result buffers sized from the stored result's max_length, so no fetch ever truncates.
struct result_binds {
  std::vector<MYSQL_BIND> binds;
  std::vector<std::vector<char>> buffers;
  std::vector<unsigned long> lengths;
  std::vector<my_bool> nulls;
};

// A prepared statement and what its executions reuse: the bind arrays and buffers keep their
// capacity, and the column names are shared by every result while they stay the same (one
// execution at a time: the session's claim), so a repeated execution allocates only its rows.
struct mysql_stmt_state {
  stmt_handle stmt;
  unsigned long param_count = 0;
  param_binds params;
  result_binds results;
  std::shared_ptr<const column_names> names;
};

namespace {

void bind_buffer(MYSQL_BIND& b, enum_field_types type, std::string& s) {
  b.buffer_type = type;
  b.buffer = s.data();
  b.buffer_length = s.size();
}

// bind_param: points one bind at its value; each alternative is named, so a new one in
// value_variant fails to compile here instead of falling into the wrong case.
void bind_param(MYSQL_BIND& b, value& v, MYSQL_TIME& time, char& flag) {
  std::visit(
      [&](auto& x) {
        using t = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<t, std::monostate>) {
          b.buffer_type = MYSQL_TYPE_NULL;
        } else if constexpr (std::is_same_v<t, bool>) {
          flag = x ? 1 : 0;
          b.buffer_type = MYSQL_TYPE_TINY;
          b.buffer = &flag;
        } else if constexpr (std::is_same_v<t, std::int64_t> || std::is_same_v<t, std::uint64_t>) {
          b.buffer_type = MYSQL_TYPE_LONGLONG;
          b.buffer = &x;
          b.is_unsigned = std::is_same_v<t, std::uint64_t> ? 1 : 0;
        } else if constexpr (std::is_same_v<t, double>) {
          b.buffer_type = MYSQL_TYPE_DOUBLE;
          b.buffer = &x;
        } else if constexpr (std::is_same_v<t, std::string>) {
          bind_buffer(b, MYSQL_TYPE_STRING, x);
        } else if constexpr (std::is_same_v<t, bytes>) {
          bind_buffer(b, MYSQL_TYPE_BLOB, x.data);
        } else {
          static_assert(std::is_same_v<t, date> || std::is_same_v<t, datetime> || std::is_same_v<t, time_of_day>,
                        "bind_param: a value alternative without a MySQL binding");
          time = to_mysql_time(v);
          b.buffer_type = std::is_same_v<t, date>       ? MYSQL_TYPE_DATE
                          : std::is_same_v<t, datetime> ? MYSQL_TYPE_DATETIME
                                                        : MYSQL_TYPE_TIME;
          b.buffer = &time;
        }
      },
      static_cast<value_variant&>(v));
}

void bind_params(param_binds& p, std::span<const value> params) {
  p.binds.assign(params.size(), MYSQL_BIND{});
  p.times.assign(params.size(), MYSQL_TIME{});
  p.bools.assign(params.size(), 0);
  for (std::size_t i = 0; i < params.size(); ++i) {
    // Connector/C only reads parameter buffers, so pointing into const values is safe.
    bind_param(p.binds[i], const_cast<value&>(params[i]), p.times[i], p.bools[i]);
  }
}

bool is_time_type(enum_field_types t) {
  return t == MYSQL_TYPE_DATE || t == MYSQL_TYPE_NEWDATE || t == MYSQL_TYPE_DATETIME || t == MYSQL_TYPE_TIMESTAMP ||
         t == MYSQL_TYPE_TIME;
}

bool is_integer_type(enum_field_types t) {
  return t == MYSQL_TYPE_TINY || t == MYSQL_TYPE_SHORT || t == MYSQL_TYPE_INT24 || t == MYSQL_TYPE_LONG ||
         t == MYSQL_TYPE_LONGLONG || t == MYSQL_TYPE_YEAR;
}

void bind_results(result_binds& r, const MYSQL_FIELD* fields, unsigned n) {
  r.binds.assign(n, MYSQL_BIND{});
  r.buffers.resize(n);  // each buffer keeps its capacity from the last execution
  r.lengths.assign(n, 0);
  r.nulls.assign(n, 0);
  for (unsigned i = 0; i < n; ++i) {
    MYSQL_BIND& b = r.binds[i];
    const MYSQL_FIELD& f = fields[i];
    if (is_integer_type(f.type)) {
      b.buffer_type = MYSQL_TYPE_LONGLONG;
      b.is_unsigned = (f.flags & UNSIGNED_FLAG) ? 1 : 0;
      r.buffers[i].resize(sizeof(std::int64_t));
    } else if (f.type == MYSQL_TYPE_FLOAT || f.type == MYSQL_TYPE_DOUBLE) {
      b.buffer_type = MYSQL_TYPE_DOUBLE;
      r.buffers[i].resize(sizeof(double));
    } else if (is_time_type(f.type)) {
      b.buffer_type = f.type;
      r.buffers[i].resize(sizeof(MYSQL_TIME));
    } else {
      b.buffer_type = MYSQL_TYPE_BLOB;  // raw bytes; text or binary decided per column below
      r.buffers[i].resize(std::max<unsigned long>(f.max_length, 1));
    }
    b.buffer = r.buffers[i].data();
    b.buffer_length = r.buffers[i].size();
    b.length = &r.lengths[i];
    b.is_null = &r.nulls[i];
  }
}

value cell_value(const result_binds& r, const MYSQL_FIELD& f, unsigned i) {
  if (r.nulls[i]) return null;
  const char* data = r.buffers[i].data();
  if (is_integer_type(f.type)) {
    if (f.flags & UNSIGNED_FLAG) return *reinterpret_cast<const std::uint64_t*>(data);
    return *reinterpret_cast<const std::int64_t*>(data);
  }
  if (f.type == MYSQL_TYPE_FLOAT || f.type == MYSQL_TYPE_DOUBLE) {
    return *reinterpret_cast<const double*>(data);
  }
  if (is_time_type(f.type)) return from_mysql_time(*reinterpret_cast<const MYSQL_TIME*>(data), f);
  // Text-shaped cells decode like the text protocol (DECIMAL, BIT, strings, blobs).
  return from_text(f, data, r.lengths[i]);
}

// same_names: the fields still carry the names a previous result shared out.
bool same_names(const column_names* names, const MYSQL_FIELD* fields, unsigned n) {
  if (names == nullptr || names->size() != n) return false;
  for (unsigned i = 0; i < n; ++i)
    if ((*names)[i] != std::string_view(fields[i].name, fields[i].name_length)) return false;
  return true;
}

result fetch_all(mysql_session& s, mysql_stmt_state& st, MYSQL_RES* meta) {
  MYSQL_STMT* stmt = st.stmt.get();
  result out;
  my_bool update_max = 1;
  mysql_stmt_attr_set(stmt, STMT_ATTR_UPDATE_MAX_LENGTH, &update_max);
  int err = 0;
  s.drive([&] { return mysql_stmt_store_result_start(&err, stmt); },
          [&](int ready) { return mysql_stmt_store_result_cont(&err, stmt, ready); });
  if (err != 0) s.raise(stmt);
  const unsigned n = mysql_num_fields(meta);
  const MYSQL_FIELD* fields = mysql_fetch_fields(meta);
  if (!same_names(st.names.get(), fields, n)) {
    auto names = std::make_shared<column_names>();
    for (unsigned i = 0; i < n; ++i) names->emplace_back(fields[i].name, fields[i].name_length);
    st.names = std::move(names);
  }
  const std::shared_ptr<const column_names>& names = st.names;
  out.columns = names;
  result_binds& r = st.results;
  bind_results(r, fields, n);
  if (mysql_stmt_bind_result(stmt, r.binds.data()) != 0) s.raise(stmt);
  out.rows.reserve(mysql_stmt_num_rows(stmt));
  for (;;) {
    int rc = 0;
    s.drive([&] { return mysql_stmt_fetch_start(&rc, stmt); },
            [&](int ready) { return mysql_stmt_fetch_cont(&rc, stmt, ready); });
    if (rc == MYSQL_NO_DATA) break;
    if (rc == 1) s.raise(stmt);
    if (rc == MYSQL_DATA_TRUNCATED) {
      throw internal_error(0, "HY000", "prepared statement row truncated despite max_length buffers");
    }
    std::vector<value> values;
    values.reserve(n);
    for (unsigned i = 0; i < n; ++i) values.push_back(cell_value(r, fields[i], i));
    out.rows.emplace_back(names, std::move(values));
  }
  return out;
}

void free_result(mysql_session& s, MYSQL_STMT* stmt) {
  my_bool failed = 0;
  s.drive([&] { return mysql_stmt_free_result_start(&failed, stmt); },
          [&](int ready) { return mysql_stmt_free_result_cont(&failed, stmt, ready); });
}

// A CALL answers with extra results; read them so the session stays in step.
void drain_stmt_results(mysql_session& s, MYSQL_STMT* stmt) {
  while (mysql_stmt_more_results(stmt)) {
    int status = 0;
    s.drive([&] { return mysql_stmt_next_result_start(&status, stmt); },
            [&](int ready) { return mysql_stmt_next_result_cont(&status, stmt, ready); });
    if (status > 0) s.raise(stmt);
    if (status != 0) break;
    if (mysql_stmt_field_count(stmt) > 0) {
      int err = 0;
      s.drive([&] { return mysql_stmt_store_result_start(&err, stmt); },
              [&](int ready) { return mysql_stmt_store_result_cont(&err, stmt, ready); });
      if (err != 0) s.raise(stmt);
    }
    free_result(s, stmt);
  }
}

result execute_locked(mysql_session& s, mysql_stmt_state& st, std::span<const value> params) {
  MYSQL_STMT* stmt = st.stmt.get();
  if (params.size() != st.param_count) {
    throw programming_error(0, "07001",
                            "prepared statement takes " + std::to_string(st.param_count) + " parameters, " +
                                std::to_string(params.size()) + " given");
  }
  param_binds& p = st.params;
  bind_params(p, params);
  if (!params.empty() && mysql_stmt_bind_param(stmt, p.binds.data()) != 0) s.raise(stmt);
  int err = 0;
  s.drive(
      [&] {
        const reply_wait first_read(s.handle());  // the reply cannot be there yet: wait on the hub first
        return mysql_stmt_execute_start(&err, stmt);
      },
      [&](int ready) { return mysql_stmt_execute_cont(&err, stmt, ready); });
  if (err != 0) s.raise(stmt);
  result out;
  result_handle meta(mysql_stmt_result_metadata(stmt));
  if (meta) {
    out = fetch_all(s, st, meta.get());
  } else {
    out.affected_rows = mysql_stmt_affected_rows(stmt);
  }
  out.insert_id = mysql_stmt_insert_id(stmt);
  out.warnings = mysql_warning_count(s.handle());
  free_result(s, stmt);
  drain_stmt_results(s, stmt);
  return out;
}

}  // namespace

statement prepare_statement(const std::shared_ptr<mysql_session>& session, std::string_view sql) {
  mysql_session& s = *session;
  auto st = std::make_unique<mysql_stmt_state>();
  st->stmt.reset(mysql_stmt_init(s.handle()));
  if (!st->stmt) s.raise();
  MYSQL_STMT* stmt = st->stmt.get();
  try {
    int err = 0;
    s.drive(
        [&] {
          const reply_wait first_read(s.handle());
          return mysql_stmt_prepare_start(&err, stmt, sql.data(), sql.size());
        },
        [&](int ready) { return mysql_stmt_prepare_cont(&err, stmt, ready); });
    if (err != 0) s.raise(stmt);
  } catch (...) {
    // Not closed here: the connection is still claimed (and may be mid-exchange).
    s.close_statement(std::move(st->stmt));
    throw;
  }
  st->param_count = mysql_stmt_param_count(stmt);
  return statement(session, std::move(st));
}

}  // namespace detail

statement::statement(std::shared_ptr<detail::mysql_session> session, std::unique_ptr<detail::mysql_stmt_state> state)
    : session_(std::move(session)), state_(std::move(state)) {}
statement::statement(statement&&) noexcept = default;
statement& statement::operator=(statement&& other) noexcept {
  if (this != &other) {
    close();
    session_ = std::move(other.session_);
    state_ = std::move(other.state_);
  }
  return *this;
}
statement::~statement() {
  close();
}

result statement::execute(std::span<const value> params) {
  if (!state_ || !state_->stmt) throw interface_error(0, "HY000", "execute on a closed statement");
  return session_->run("execute", detail::op_kind::query,
                       [&] { return detail::execute_locked(*session_, *state_, params); });
}

std::size_t statement::param_count() const noexcept {
  return state_ ? state_->param_count : 0;
}

void statement::close() noexcept {
  if (state_ && state_->stmt) session_->close_statement(std::move(state_->stmt));
  state_.reset();
}

}  // namespace fibersql::mysql
