// The defaults of connection::open_stream() and open_statement() for backends without their
// own: a buffered result handed out row by row, and a statement that re-runs its text.
#include <fibersql/sql/connection.hpp>

#include <cstddef>
#include <string>
#include <utility>

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

}  // namespace

std::unique_ptr<row_stream> connection::open_stream(std::string_view sql, std::span<const value> params) {
  return std::make_unique<buffered_stream>(query(sql, params));
}

std::unique_ptr<statement> connection::open_statement(std::string_view sql) {
  return std::make_unique<text_statement>(*this, sql);
}

}  // namespace fibersql
