#pragma once
// SQLite result codes -> the DB-API hierarchy (the one table lives in src/sqlite/errors.cpp).
#include <string>

#include <fibersql/sql/classify.hpp>

namespace fibersql::sqlite::detail {

struct error_info {
  error_kind kind;
  const char* sqlstate;
  bool breaks_handle;  // the handle can no longer be trusted: close it, report is_broken()
};

// classify_result: what an (extended) SQLite result code means for the caller.
error_info classify_result(int extended_code) noexcept;

// throw_result: throws the class for `extended_code` with code() = the extended code.
[[noreturn]] void throw_result(int extended_code, const std::string& message);

// is_busy: SQLITE_BUSY or SQLITE_LOCKED in any extended flavour (a retryable lock conflict).
bool is_busy(int code) noexcept;

}  // namespace fibersql::sqlite::detail
