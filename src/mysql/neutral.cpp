// mysql_connection behind the backend-neutral interfaces (connection::open_stream and
// open_statement): thin adapters over mysql_row_stream and mysql_statement.
#include <fibersql/mysql/mysql_connection.hpp>

namespace fibersql {
namespace {

class mysql_stream_adapter final : public row_stream {
 public:
  explicit mysql_stream_adapter(mysql_row_stream s) : stream_(std::move(s)) {}
  std::optional<row> next() override { return stream_.next(); }
  void close() override { stream_.close(); }
  bool done() const noexcept override { return stream_.done(); }
  const column_names& columns() const noexcept override { return stream_.columns(); }

 private:
  mysql_row_stream stream_;
};

class mysql_statement_adapter final : public statement {
 public:
  explicit mysql_statement_adapter(mysql_statement s) : statement_(std::move(s)) {}
  result execute(std::span<const value> params) override { return statement_.execute(params); }

 private:
  mysql_statement statement_;
};

}  // namespace

std::unique_ptr<row_stream> mysql_connection::open_stream(std::string_view sql, std::span<const value> params) {
  return std::make_unique<mysql_stream_adapter>(stream(sql, params));
}

std::unique_ptr<statement> mysql_connection::open_statement(std::string_view sql) {
  return std::make_unique<mysql_statement_adapter>(prepare(sql));
}

}  // namespace fibersql
