#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// One result row with typed access by index or column name; NULL maps to std::optional.
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <fibersql/sql/value.hpp>

namespace fibersql {

// Column names of a result, shared by all its rows.
using column_names = std::vector<std::string>;

class row {
 public:
  row(std::shared_ptr<const column_names> names, std::vector<value> values)
      : names_(std::move(names)), values_(std::move(values)) {}

  std::size_t size() const noexcept { return values_.size(); }
  const value& at(std::size_t index) const;        // Throws: interface_error if out of range.
  const value& at(std::string_view column) const;  // Throws: interface_error if no such column.
  bool is_null(std::size_t index) const { return std::holds_alternative<std::monostate>(at(index)); }
  const column_names& names() const noexcept { return *names_; }
  const std::vector<value>& values() const noexcept { return values_; }

  // get<T>(i): the value converted to T, where T is bool, an integer type (int, unsigned, short,
  // long long, int64_t...), double, float, std::string,
  // bytes, date, datetime or time_of_day; get<std::optional<T>> gives nullopt for NULL.
  // Integers convert between widths only when the value fits.
  // Throws: data_error naming the column, what it holds and what was asked, on NULL for a
  // non-optional T, a type mismatch or an out-of-range integer.
  template <class T>
  T get(std::size_t index) const {
    return convert<T>(at(index), index);
  }
  template <class T>
  T get(std::string_view column) const {
    return convert<T>(at(column), index_of(column));
  }

  // take<T>(i): get<T>(i) for a row read once, column by column: a string or bytes value is
  // moved out instead of copied (the row keeps an empty one). Throws: as get.
  template <class T>
  T take(std::size_t index) {
    if constexpr (is_optional<T>::value) {
      if (is_null(index)) return std::nullopt;
      return take<typename T::value_type>(index);
    } else {
      if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, bytes>) {
        if (auto* p = std::get_if<T>(&const_cast<value&>(at(index)))) return std::move(*p);
      }
      return get<T>(index);
    }
  }

  std::size_t index_of(std::string_view column) const;  // Throws: interface_error.

 private:
  template <class T>
  struct is_optional : std::false_type {};
  template <class T>
  struct is_optional<std::optional<T>> : std::true_type {};

  template <class T>
  T convert(const value& v, std::size_t index) const {
    if constexpr (is_optional<T>::value) {
      if (std::holds_alternative<std::monostate>(v)) return std::nullopt;
      return convert<typename T::value_type>(v, index);
    } else {
      T out{};
      convert_into(v, index, out);
      return out;
    }
  }
  void convert_into(const value& v, std::size_t index, bool& out) const;
  void convert_into(const value& v, std::size_t index, std::int64_t& out) const;
  void convert_into(const value& v, std::size_t index, std::uint64_t& out) const;
  void convert_into(const value& v, std::size_t index, int& out) const;
  void convert_into(const value& v, std::size_t index, unsigned& out) const;
  void convert_into(const value& v, std::size_t index, long long& out) const;
  void convert_into(const value& v, std::size_t index, unsigned long long& out) const;
  void convert_into(const value& v, std::size_t index, short& out) const;
  void convert_into(const value& v, std::size_t index, unsigned short& out) const;
  void convert_into(const value& v, std::size_t index, double& out) const;
  void convert_into(const value& v, std::size_t index, float& out) const;
  void convert_into(const value& v, std::size_t index, std::string& out) const;
  void convert_into(const value& v, std::size_t index, bytes& out) const;
  void convert_into(const value& v, std::size_t index, date& out) const;
  void convert_into(const value& v, std::size_t index, datetime& out) const;
  void convert_into(const value& v, std::size_t index, time_of_day& out) const;
  [[noreturn]] void mismatch(const value& v, std::size_t index, const char* wanted) const;

  std::shared_ptr<const column_names> names_;
  std::vector<value> values_;
};

}  // namespace fibersql
FIBERSQL_PUBLIC_END
