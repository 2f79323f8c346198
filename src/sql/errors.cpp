#include <fibersql/sql/errors.hpp>

#include <utility>

namespace fibersql {

// what() is the message alone, as the server or client wrote it; code() and sqlstate() stay
// separate so callers can match on them without parsing text.
error::error(unsigned code, std::string sqlstate, const std::string& message, error_reason reason)
    : std::runtime_error(message),
      code_(code),
      sqlstate_(sqlstate.size() == 5 ? std::move(sqlstate) : std::string("HY000")),
      reason_(reason) {}

const char* to_string(error_reason reason) noexcept {
  switch (reason) {
    case error_reason::none:
      return "none";
    case error_reason::timeout:
      return "timeout";
    case error_reason::connection_lost:
      return "connection_lost";
    case error_reason::killed_by_server:
      return "killed_by_server";
    case error_reason::cancelled:
      return "cancelled";
  }
  return "unknown";
}

}  // namespace fibersql
