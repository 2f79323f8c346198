#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// A statement prepared once and executed many times, whatever the backend: what
// connection::open_statement() returns. MySQL prepares it on the server (binary protocol);
// a backend without its own runs the text again with the new parameters.
#include <initializer_list>
#include <span>

#include <fibersql/sql/result.hpp>
#include <fibersql/sql/value.hpp>

namespace fibersql {

class statement {
 public:
  virtual ~statement() = default;
  // execute: binds params in order to the '?' placeholders and runs it; every row buffered.
  // Throws: programming_error (wrong parameter count), the DB-API hierarchy.
  virtual result execute(std::span<const value> params) = 0;
  result execute() { return execute(std::span<const value>{}); }
  result execute(std::initializer_list<value> params) {
    return execute(std::span<const value>(params.begin(), params.size()));
  }
};

}  // namespace fibersql
FIBERSQL_PUBLIC_END
