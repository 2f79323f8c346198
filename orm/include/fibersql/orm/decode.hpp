#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// decode<Row>: a result row back into the row type of a select: a whole model (its columns in
// declaration order), a std::tuple of models and values, one value, or std::optional<model>
// for the side of an outer join. Positional, because the ORM rendered the select list itself.
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <tuple>

#include <fibersql/orm/table.hpp>
#include <fibersql/orm/value_traits.hpp>
#include <fibersql/sql/errors.hpp>
#include <fibersql/sql/row.hpp>

namespace fibersql::orm::detail {

template <class M>
concept model = requires {
  fibersql_table_of(static_cast<const M*>(nullptr));
};
template <class T>
inline constexpr bool is_optional_model_v = false;
template <model M>
inline constexpr bool is_optional_model_v<std::optional<M>> = true;
template <class T>
inline constexpr bool is_tuple_v = false;
template <class... T>
inline constexpr bool is_tuple_v<std::tuple<T...>> = true;

// read_value: one value at index i, through value_traits for custom types, as the
// underlying integer for enums, else the row's own conversion. Each index is read once, so
// strings and bytes are moved out of the row (row::take), not copied.
template <class V>
V read_value(fibersql::row& r, std::size_t i) {
  if constexpr (is_optional_v<V> && (custom_value<strip_optional_t<V>> || enum_value<strip_optional_t<V>>)) {
    if (r.is_null(i)) return std::nullopt;
    return read_value<typename V::value_type>(r, i);
  } else if constexpr (custom_value<V>) {
    return value_traits<V>::from_row(r, i);
  } else if constexpr (enum_value<V>) {
    return static_cast<V>(r.get<std::underlying_type_t<V>>(i));
  } else {
    return r.take<V>(i);
  }
}

template <class Row>
Row decode(fibersql::row& r, std::size_t& at);

// side_absent: whether the model's columns at `at` are an outer join's missing side: every
// primary-key column NULL (a stored row never has a NULL key, so a row whose other columns
// are all NULL is still a row); for a model without a key, every column NULL.
template <class M>
bool side_absent(const fibersql::row& r, std::size_t at) {
  const auto& t = fibersql_table_of(static_cast<const M*>(nullptr));
  const std::span<const column_info> cols = std::remove_cvref_t<decltype(t)>::fibersql_info.columns;
  const table_meta* meta = meta_of(t);
  auto in_key = [&](const column_info& c) {
    if (c.is_primary_key()) return true;
    for (std::size_t k = 0; meta != nullptr && k < meta->size; ++k) {
      const key_info& key = meta->keys[k];
      if (key.k != key_info::kind::primary_key) continue;
      for (std::size_t j = 0; j < key.size; ++j)
        if (key.columns[j]->name == c.name) return true;
    }
    return false;
  };
  bool keyed = false;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    if (!in_key(cols[i])) continue;
    keyed = true;
    if (!r.is_null(at + i)) return false;
  }
  if (keyed) return true;
  for (std::size_t i = 0; i < cols.size(); ++i)
    if (!r.is_null(at + i)) return false;
  return true;
}

template <class Row>
Row decode(fibersql::row& r, std::size_t& at) {
  if constexpr (is_optional_model_v<Row>) {
    using M = typename Row::value_type;
    if (side_absent<M>(r, at)) {
      at += std::remove_cvref_t<decltype(fibersql_table_of(static_cast<const M*>(nullptr)))>::fibersql_info.columns
                .size();
      return std::nullopt;
    }
    return decode<M>(r, at);
  } else if constexpr (model<Row>) {
    const auto& t = fibersql_table_of(static_cast<const Row*>(nullptr));
    Row out{};
    std::remove_cvref_t<decltype(t)>::fibersql_each(t, [&](const auto& c) {
      using member = typename std::remove_cvref_t<decltype(c)>::member_type;
      try {
        out.*c.member = read_value<member>(r, at++);
      } catch (const data_error& e) {  // name the model's column, not just the result's
        throw data_error(e.code(), e.sqlstate(),
                         std::string(c.info->table) + "." + std::string(c.info->name) + ": " + e.what());
      }
    });
    return out;
  } else if constexpr (is_tuple_v<Row>) {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      return Row{decode<std::tuple_element_t<I, Row>>(r, at)...};  // braces: left to right
    }
    (std::make_index_sequence<std::tuple_size_v<Row>>{});
  } else {
    return read_value<Row>(r, at++);
  }
}

// brace_from<S, Source>: can S be brace-initialised from Source's values, in order?
template <class S, class Source>
struct brace_from {
  static constexpr bool value = requires(Source v) { S{std::move(v)}; };
};
template <class S, class... T>
struct brace_from<S, std::tuple<T...>> {
  static constexpr bool value = requires(T... v) { S{std::move(v)...}; };
};

// decode_as: a row decoded as Source (the select's own row type), then built into Row by
// position (`.into<S>()`).
template <class Row, class Source>
Row decode_as(fibersql::row& r, std::size_t& at) {
  if constexpr (std::same_as<Row, Source>)
    return decode<Row>(r, at);
  else if constexpr (is_tuple_v<Source>)
    return std::apply([](auto&&... x) { return Row{std::move(x)...}; }, decode<Source>(r, at));
  else
    return Row{decode<Source>(r, at)};
}

}  // namespace fibersql::orm::detail
FIBERSQL_PUBLIC_END
