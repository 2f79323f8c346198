// The defaults of connection::open_stream() and open_statement() for backends without their
// own (a buffered result handed out row by row, a statement that re-runs its text), and what
// every connection shares: the prepared-statement cache and the server_info read once.
#include <fibersql/sql/connection.hpp>
#include <fibersql/sql/errors.hpp>

#include <cstddef>
#include <string>
#include <utility>

#include "detail/prepared_cache.hpp"

namespace fibersql {
namespace {

class buffered_stream final : public row_stream {
 public:
  explicit buffered_stream(result r) : result_(std::move(r)) {}
  std::optional<row> next() override {
    if (next_ >= result_.rows.size()) return std::nullopt;
    return std::move(result_.rows[next_++]);
  }
  void close() override { next_ = result_.rows.size(); }
  bool done() const noexcept override { return next_ >= result_.rows.size(); }
  const column_names& columns() const noexcept override { return *result_.columns; }

 private:
  result result_;
  std::size_t next_ = 0;
};

class text_statement final : public statement {
 public:
  text_statement(connection& c, std::string_view sql) : conn_(c), sql_(sql) {}
  result execute(std::span<const value> params) override { return conn_.query(sql_, params); }

 private:
  connection& conn_;
  std::string sql_;
};

// The server answered that it does not (or no longer) hold the statement, or the client
// library refused it locally: either way it did not execute, so preparing it again is safe.
bool statement_is_gone(const database_error& e) {
  constexpr unsigned need_reprepare = 1615;     // ER_NEED_REPREPARE
  constexpr unsigned unknown_handler = 1243;    // ER_UNKNOWN_STMT_HANDLER
  constexpr unsigned closed_indirectly = 2056;  // CR_STMT_CLOSED (reset_connection, change_user)
  return e.code() == need_reprepare || e.code() == unknown_handler || e.code() == closed_indirectly;
}

}  // namespace

connection::connection() : prepared_(std::make_unique<detail::prepared_cache>()) {}

connection::~connection() = default;

result connection::query_prepared(std::string_view sql, std::span<const value> params) {
  if (prepared_->capacity() == 0) return query(sql, params);
  statement* stmt = prepared_->find(sql);
  if (stmt == nullptr) return prepared_->add(sql, open_statement(sql)).execute(params);
  try {
    return stmt->execute(params);
  } catch (const database_error& e) {
    if (is_broken() || !statement_is_gone(e)) throw;
  }
  // Prepared again here, outside the handler (preparing waits on the server).
  prepared_->erase(sql);
  return prepared_->add(sql, open_statement(sql)).execute(params);
}

std::size_t connection::prepared_cache_capacity() const noexcept {
  return prepared_->capacity();
}

void connection::set_prepared_cache_capacity(std::size_t n) {
  prepared_->set_capacity(n);
}

void connection::forget_prepared() noexcept {
  prepared_->clear();
}

server_info connection::server() const noexcept {
  // Not kept while unknown: a closed connection says nothing, and must not say it forever.
  if (!server_ || server_->flavor == server_flavor::unknown) server_ = server_version();
  return *server_;
}

std::unique_ptr<row_stream> connection::open_stream(std::string_view sql, std::span<const value> params) {
  return std::make_unique<buffered_stream>(query(sql, params));
}

std::unique_ptr<statement> connection::open_statement(std::string_view sql) {
  return std::make_unique<text_statement>(*this, sql);
}

}  // namespace fibersql
