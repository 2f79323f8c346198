// Typed row access. The conversion rules are deliberately few (see row.hpp):
//   integers <-> integers when the value fits; integers and bool -> double; bool <-> integer
//   (any non-zero integer reads as true, as peewee's BooleanField does); string <-> bytes (both
//   are byte containers, nothing is re-encoded); ISO-8601 text -> date/datetime/time_of_day
//   (SQLite stores them as text). Text is never parsed as a number, numbers are never
//   formatted as text, and double never narrows to an integer.
#include <fibersql/sql/row.hpp>

#include <algorithm>
#include <limits>
#include <utility>

#include <fibersql/sql/errors.hpp>
#include <fibersql/sql/value_text.hpp>

namespace fibersql {
namespace {

bool iequal(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
    return lower(x) == lower(y);
  });
}

std::string list_names(const column_names& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "none" : out;
}

enum class outcome { ok, mismatch, out_of_range };

template <class I>
outcome integer_from(const value& v, I& out) {
  if (const auto* p = std::get_if<std::int64_t>(&v)) {
    if (!std::in_range<I>(*p)) return outcome::out_of_range;
    out = static_cast<I>(*p);
  } else if (const auto* p = std::get_if<std::uint64_t>(&v)) {
    if (!std::in_range<I>(*p)) return outcome::out_of_range;
    out = static_cast<I>(*p);
  } else if (const auto* p = std::get_if<bool>(&v)) {
    out = *p ? 1 : 0;
  } else {
    return outcome::mismatch;
  }
  return outcome::ok;
}

template <class I>
std::string range_of(const char* wanted) {
  return std::string(wanted) + " (range " + std::to_string(std::numeric_limits<I>::min()) + ".." +
         std::to_string(std::numeric_limits<I>::max()) + ")";
}

}  // namespace

const value& row::at(std::size_t index) const {
  if (index >= values_.size()) {
    throw interface_error(0, "HY000",
                          "column index " + std::to_string(index) + " is out of range: the row has " +
                              std::to_string(values_.size()) + " columns (" + list_names(*names_) + ")");
  }
  return values_[index];
}

const value& row::at(std::string_view column) const {
  return values_.at(index_of(column));
}

std::size_t row::index_of(std::string_view column) const {
  const column_names& names = *names_;
  // Exact match first; then a case-insensitive one, since MySQL column names are
  // case-insensitive and users write `get<int>("ID")` for a column declared `id`.
  for (std::size_t i = 0; i < names.size() && i < values_.size(); ++i)
    if (names[i] == column) return i;
  for (std::size_t i = 0; i < names.size() && i < values_.size(); ++i)
    if (iequal(names[i], column)) return i;
  throw interface_error(
      0, "HY000", "no column named '" + std::string(column) + "' in the result (columns: " + list_names(names) + ")");
}

void row::mismatch(const value& v, std::size_t index, const char* wanted) const {
  const column_names& names = *names_;
  std::string where = index < names.size() ? "column '" + names[index] + "' (index " + std::to_string(index) + ")"
                                           : "column " + std::to_string(index);
  std::string hint;
  if (std::holds_alternative<std::monostate>(v))
    hint = "; read it as std::optional<...> if the column may be NULL";
  else if (std::holds_alternative<std::string>(v)) {
    const std::string_view w = wanted;
    hint = (w.starts_with("date") || w.starts_with("time")) ? "; the text is not in that format"
                                                            : "; text is never parsed implicitly";
  }
  throw data_error(0, "22000", where + " holds " + describe(v) + ", which cannot be read as " + wanted + hint);
}

#define FIBERSQL_INTEGER_CONVERT(type, wanted)                                 \
  void row::convert_into(const value& v, std::size_t index, type& out) const { \
    switch (integer_from(v, out)) {                                            \
      case outcome::ok:                                                        \
        return;                                                                \
      case outcome::mismatch:                                                  \
        mismatch(v, index, wanted);                                            \
      case outcome::out_of_range:                                              \
        mismatch(v, index, range_of<type>(wanted).c_str());                    \
    }                                                                          \
  }
FIBERSQL_INTEGER_CONVERT(std::int64_t, "int64")
FIBERSQL_INTEGER_CONVERT(std::uint64_t, "uint64")
FIBERSQL_INTEGER_CONVERT(int, "int")
FIBERSQL_INTEGER_CONVERT(unsigned, "unsigned")
FIBERSQL_INTEGER_CONVERT(long long, "long long")
FIBERSQL_INTEGER_CONVERT(unsigned long long, "unsigned long long")
FIBERSQL_INTEGER_CONVERT(short, "short")
FIBERSQL_INTEGER_CONVERT(unsigned short, "unsigned short")
#undef FIBERSQL_INTEGER_CONVERT

void row::convert_into(const value& v, std::size_t index, bool& out) const {
  if (const auto* p = std::get_if<bool>(&v))
    out = *p;
  else if (const auto* p = std::get_if<std::int64_t>(&v))
    out = *p != 0;
  else if (const auto* p = std::get_if<std::uint64_t>(&v))
    out = *p != 0;
  else
    mismatch(v, index, "bool");
}

void row::convert_into(const value& v, std::size_t index, double& out) const {
  if (const auto* p = std::get_if<double>(&v))
    out = *p;
  else if (const auto* p = std::get_if<std::int64_t>(&v))
    out = static_cast<double>(*p);
  else if (const auto* p = std::get_if<std::uint64_t>(&v))
    out = static_cast<double>(*p);
  else if (const auto* p = std::get_if<bool>(&v))
    out = *p ? 1.0 : 0.0;
  else
    mismatch(v, index, "double");
}

void row::convert_into(const value& v, std::size_t index, float& out) const {
  double d = 0;
  convert_into(v, index, d);
  out = static_cast<float>(d);  // FLOAT columns arrive as double; the nearest float is meant
}

void row::convert_into(const value& v, std::size_t index, std::string& out) const {
  if (const auto* p = std::get_if<std::string>(&v))
    out = *p;
  else if (const auto* p = std::get_if<bytes>(&v))
    out = p->data;
  else
    mismatch(v, index, "std::string");
}

void row::convert_into(const value& v, std::size_t index, bytes& out) const {
  if (const auto* p = std::get_if<bytes>(&v))
    out = *p;
  else if (const auto* p = std::get_if<std::string>(&v))
    out.data = *p;
  else
    mismatch(v, index, "bytes");
}

void row::convert_into(const value& v, std::size_t index, date& out) const {
  if (const auto* p = std::get_if<date>(&v)) return void(out = *p);
  if (const auto* p = std::get_if<std::string>(&v))
    if (auto d = parse_date(*p)) return void(out = *d);
  mismatch(v, index, "date (YYYY-MM-DD)");
}

void row::convert_into(const value& v, std::size_t index, datetime& out) const {
  if (const auto* p = std::get_if<datetime>(&v)) return void(out = *p);
  if (const auto* p = std::get_if<std::string>(&v))
    if (auto t = parse_datetime(*p)) return void(out = *t);
  mismatch(v, index, "datetime (YYYY-MM-DD HH:MM:SS[.ffffff])");
}

void row::convert_into(const value& v, std::size_t index, time_of_day& out) const {
  if (const auto* p = std::get_if<time_of_day>(&v)) return void(out = *p);
  if (const auto* p = std::get_if<std::string>(&v))
    if (auto t = parse_time(*p)) return void(out = *t);
  mismatch(v, index, "time_of_day ([-]HH:MM:SS[.ffffff])");
}

}  // namespace fibersql
