#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// stream_open_error: a statement issued on a fiber whose connection is still streaming the
// rows of an earlier one (database::stream(), an ORM .stream()). A connection runs one
// statement at a time, whatever the backend, so the statement is refused before it reaches
// the connection, which stays usable: the stream goes on.
#include <cstdint>
#include <string>
#include <utility>

#include <fibersql/sql/errors.hpp>

namespace fibersql::db {

class stream_open_error : public interface_error {
 public:
  stream_open_error(std::string stream_statement, std::uint64_t rows_read, const std::string& message)
      : interface_error(0, "HY000", message), stream_statement_(std::move(stream_statement)), rows_read_(rows_read) {}
  // The statement whose rows are being streamed (cut to database_options::statement_text_limit).
  const std::string& stream_statement() const noexcept { return stream_statement_; }
  // Rows the stream had handed over when the statement was refused.
  std::uint64_t rows_read() const noexcept { return rows_read_; }

 private:
  std::string stream_statement_;
  std::uint64_t rows_read_ = 0;
};

}  // namespace fibersql::db
FIBERSQL_PUBLIC_END
