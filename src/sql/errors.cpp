#include <fibersql/sql/errors.hpp>

#include <utility>

namespace fibersql {

// what() is the message alone, as the server or client wrote it; code() and sqlstate() stay
// separate so callers can match on them without parsing text.
error::error(unsigned code, std::string sqlstate, const std::string& message)
    : std::runtime_error(message),
      code_(code),
      sqlstate_(sqlstate.size() == 5 ? std::move(sqlstate) : std::string("HY000")) {}

}  // namespace fibersql
