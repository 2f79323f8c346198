// connection behind the backend-neutral interfaces (connection::open_stream and
// open_statement): thin adapters over mysql::row_stream and mysql::statement.
#include <fibersql/mysql/connection.hpp>

namespace fibersql::mysql {
namespace {

class mysql_stream_adapter final : public fibersql::row_stream {
 public:
  explicit mysql_stream_adapter(mysql::row_stream s) : stream_(std::move(s)) {}
  std::optional<row> next() override { return stream_.next(); }
  void close() override { stream_.close(); }
  bool done() const noexcept override { return stream_.done(); }
  const column_names& columns() const noexcept override { return stream_.columns(); }

 private:
  mysql::row_stream stream_;
};

class mysql_statement_adapter final : public fibersql::statement {
 public:
  explicit mysql_statement_adapter(mysql::statement s) : statement_(std::move(s)) {}
  result execute(std::span<const value> params) override { return statement_.execute(params); }

 private:
  mysql::statement statement_;
};

}  // namespace

std::unique_ptr<fibersql::row_stream> connection::open_stream(std::string_view sql, std::span<const value> params) {
  return std::make_unique<mysql_stream_adapter>(stream(sql, params));
}

std::unique_ptr<fibersql::statement> connection::open_statement(std::string_view sql) {
  return std::make_unique<mysql_statement_adapter>(prepare(sql));
}

}  // namespace fibersql::mysql
