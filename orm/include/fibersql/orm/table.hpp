#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// FIBERSQL_TABLE: describes a model's table once, one line per column with its options, and
// expands to an ordinary table struct of typed column handles (docs/orm.md shows the
// expansion; writing that struct by hand is supported too).
//
//   FIBERSQL_TABLE(users, user, (id, auto_increment), (username, unique, max_length(64)));
//
// Limits: 64 columns (Boost.Preprocessor 1.74's variadic limit), one table per model type
// (the fibersql_table_of hook), names starting with fibersql_ reserved.
#include <boost/preprocessor/cat.hpp>
#include <boost/preprocessor/seq/for_each_i.hpp>
#include <boost/preprocessor/stringize.hpp>
#include <boost/preprocessor/tuple/elem.hpp>
#include <boost/preprocessor/variadic/to_seq.hpp>
#include <type_traits>

#include <fibersql/orm/column.hpp>
#include <fibersql/orm/column_info.hpp>
#include <fibersql/orm/column_options.hpp>

namespace fibersql::orm {

// table: a table struct (FIBERSQL_TABLE's or a hand-written one).
template <class T>
concept table = requires(const T& t) {
  typename T::fibersql_model;
  { T::fibersql_info } -> std::convertible_to<const table_info&>;
};

// Table-level keys for FIBERSQL_TABLE_META: composite primary key, multi-column indexes.
template <class... C>
constexpr key_info primary_key(const C&... cols) {
  return {key_info::kind::primary_key, {cols.info...}, sizeof...(C)};
}
template <class... C>
constexpr key_info index(const C&... cols) {
  return {key_info::kind::index, {cols.info...}, sizeof...(C)};
}
template <class... C>
constexpr key_info unique_index(const C&... cols) {
  return {key_info::kind::unique_index, {cols.info...}, sizeof...(C)};
}

namespace detail {
// member_check: instantiated once per FIBERSQL_TABLE column; Probe's name shows the member.
template <class Probe, bool Found>
struct member_check {
  static_assert(Found,
                "fibersql::orm: FIBERSQL_TABLE names a member the model does not have (fibersql_probe_<member> above)");
  static constexpr bool ok = Found;
};
template <class... K>
constexpr table_meta make_meta(const K&... keys) {
  static_assert(sizeof...(K) <= 8, "fibersql::orm: at most 8 keys in FIBERSQL_TABLE_META");
  return {{keys...}, sizeof...(K)};
}
// meta_of: the table's FIBERSQL_TABLE_META keys, found by ADL; nullptr when it has none.
template <table T>
constexpr const table_meta* meta_of(const T& t) {
  if constexpr (requires { fibersql_table_meta(t); })
    return fibersql_table_meta(t);
  else
    return nullptr;
}
template <table T>
table_ref ref_of(const T& t) {
  std::string_view alias;
  bool first = true;
  T::fibersql_each(t, [&](const auto& c) {
    if (first && !c.qualifier.empty() && c.qualifier != T::fibersql_info.name) alias = c.qualifier;
    first = false;
  });
  return {&T::fibersql_info, meta_of(t), alias};
}
}  // namespace detail

// alias: a copy of a table whose columns are rendered under another name (self-joins).
template <table T>
const T alias(const T& t, detail::literal name) {
  T copy = t;
  T::fibersql_each(copy, [&](auto& c) { c.qualifier = name.text; });
  return copy;
}

}  // namespace fibersql::orm

#define FIBERSQL_DETAIL_NAME_I(name, ...) name
#define FIBERSQL_DETAIL_OPTS_I(name, ...) __VA_ARGS__
#define FIBERSQL_DETAIL_NAME(col) FIBERSQL_DETAIL_NAME_I col
#define FIBERSQL_DETAIL_OPTS(col) FIBERSQL_DETAIL_OPTS_I col
#define FIBERSQL_DETAIL_PROBE_T(model, col) \
  typename BOOST_PP_CAT(fibersql_probe_, FIBERSQL_DETAIL_NAME(col))<model>::type

// Per column: a probe that is false instead of a hard error when the model lacks the member,
// so member_check's static_assert is the first (and only) error; it runs from a template so
// GCC prints one "required from here" instead of the macro expansion chain.
#define FIBERSQL_DETAIL_PROBE(r, data, i, col)                                                                      \
  template <class fibersql_m>                                                                                       \
  struct BOOST_PP_CAT(fibersql_probe_, FIBERSQL_DETAIL_NAME(col)) {                                                 \
    using type = ::fibersql::orm::detail::missing_member;                                                           \
    static constexpr std::nullptr_t ptr = nullptr;                                                                  \
  };                                                                                                                \
  template <class fibersql_m>                                                                                       \
  requires requires {                                                                                               \
    &fibersql_m::FIBERSQL_DETAIL_NAME(col);                                                                         \
  }                                                                                                                 \
  struct BOOST_PP_CAT(fibersql_probe_, FIBERSQL_DETAIL_NAME(col))<fibersql_m> {                                     \
    using type = decltype(fibersql_m::FIBERSQL_DETAIL_NAME(col));                                                   \
    static constexpr auto ptr = &fibersql_m::FIBERSQL_DETAIL_NAME(col);                                             \
  };                                                                                                                \
  inline constexpr bool BOOST_PP_CAT(fibersql_has_, FIBERSQL_DETAIL_NAME(col)) =                                    \
      ::fibersql::orm::detail::member_check<BOOST_PP_CAT(fibersql_probe_, FIBERSQL_DETAIL_NAME(col)) <              \
                                            BOOST_PP_TUPLE_ELEM(1, data)>,                                          \
                                                    !std::is_same_v <                                               \
                                                        FIBERSQL_DETAIL_PROBE_T(BOOST_PP_TUPLE_ELEM(1, data), col), \
                                                    ::fibersql::orm::detail::missing_member >> ::ok;

#define FIBERSQL_DETAIL_INFO(r, data, i, col)                                                                \
  ::fibersql::orm::detail::make_column_info<FIBERSQL_DETAIL_PROBE_T(BOOST_PP_TUPLE_ELEM(1, data), col)>(     \
      BOOST_PP_TUPLE_ELEM(2, data),                                                                          \
      BOOST_PP_STRINGIZE(FIBERSQL_DETAIL_NAME(col)),                                                                        \
          ::fibersql::orm::detail::make_options<FIBERSQL_DETAIL_PROBE_T(BOOST_PP_TUPLE_ELEM(1, data), col)>( \
              FIBERSQL_DETAIL_OPTS(col))),

#define FIBERSQL_DETAIL_NS(data) BOOST_PP_CAT(fibersql_, BOOST_PP_CAT(BOOST_PP_TUPLE_ELEM(0, data), _detail))
#define FIBERSQL_DETAIL_PROBE_OF(data, col) \
  FIBERSQL_DETAIL_NS(data)::BOOST_PP_CAT(fibersql_probe_, FIBERSQL_DETAIL_NAME(col))<BOOST_PP_TUPLE_ELEM(1, data)>
#define FIBERSQL_DETAIL_MEMBER(r, data, i, col)                                                             \
  ::fibersql::orm::column<BOOST_PP_TUPLE_ELEM(1, data), typename FIBERSQL_DETAIL_PROBE_OF(data, col)::type> \
      FIBERSQL_DETAIL_NAME(col){FIBERSQL_DETAIL_PROBE_OF(data, col)::ptr, &FIBERSQL_DETAIL_NS(data)::columns[i]};

#define FIBERSQL_DETAIL_VISIT(r, data, i, col) fibersql_fn(fibersql_t.FIBERSQL_DETAIL_NAME(col));

#define FIBERSQL_DETAIL_EACH(macro, data, ...) \
  BOOST_PP_SEQ_FOR_EACH_I(macro, data, BOOST_PP_VARIADIC_TO_SEQ(__VA_ARGS__))

// FIBERSQL_TABLE_AS: FIBERSQL_TABLE with an SQL table name other than the handle's.
#define FIBERSQL_TABLE_AS(handle, sql_name, model, ...)                                      \
  namespace BOOST_PP_CAT(fibersql_, BOOST_PP_CAT(handle, _detail)) {                         \
    using ::fibersql::orm::column_options::auto_increment;                                   \
    using ::fibersql::orm::column_options::primary_key;                                      \
    using ::fibersql::orm::column_options::unique;                                           \
    using ::fibersql::orm::column_options::index;                                            \
    using ::fibersql::orm::column_options::text;                                             \
    using ::fibersql::orm::column_options::default_now;                                      \
    using ::fibersql::orm::column_options::references_self;                                  \
    using ::fibersql::orm::column_options::cascade;                                          \
    using ::fibersql::orm::column_options::restrict;                                         \
    using ::fibersql::orm::column_options::set_null;                                         \
    using ::fibersql::orm::column_options::set_default;                                      \
    using ::fibersql::orm::column_options::no_action;                                        \
    using ::fibersql::orm::column_options::max_length;                                       \
    using ::fibersql::orm::column_options::column_name;                                      \
    using ::fibersql::orm::column_options::on_delete;                                        \
    using ::fibersql::orm::column_options::on_update;                                        \
    using ::fibersql::orm::column_options::references_deferred;                              \
    using ::fibersql::orm::column_options::references;                                       \
    using ::fibersql::orm::column_options::default_value;                                    \
    FIBERSQL_DETAIL_EACH(FIBERSQL_DETAIL_PROBE, (handle, model, sql_name), __VA_ARGS__)      \
    inline constexpr ::fibersql::orm::column_info columns[] = {                              \
        FIBERSQL_DETAIL_EACH(FIBERSQL_DETAIL_INFO, (handle, model, sql_name), __VA_ARGS__)}; \
    inline constexpr ::fibersql::orm::table_info info{sql_name, columns};                    \
  }                                                                                          \
  struct BOOST_PP_CAT(handle, _table) {                                                      \
    FIBERSQL_DETAIL_EACH(FIBERSQL_DETAIL_MEMBER, (handle, model, sql_name), __VA_ARGS__)     \
    using fibersql_model = model;                                                            \
    static constexpr const ::fibersql::orm::table_info& fibersql_info =                      \
        BOOST_PP_CAT(fibersql_, BOOST_PP_CAT(handle, _detail))::info;                        \
    template <class fibersql_s, class fibersql_f>                                            \
    static constexpr void fibersql_each(fibersql_s& fibersql_t, fibersql_f&& fibersql_fn) {  \
      FIBERSQL_DETAIL_EACH(FIBERSQL_DETAIL_VISIT, (handle, model, sql_name), __VA_ARGS__)    \
    }                                                                                        \
  };                                                                                         \
  inline constexpr BOOST_PP_CAT(handle, _table) handle{};                                    \
  constexpr const BOOST_PP_CAT(handle, _table) & fibersql_table_of(const model*) {           \
    return handle;                                                                           \
  }                                                                                          \
  static_assert(true)

// FIBERSQL_TABLE: describes table `handle` (also its SQL name) of model type `model`.
#define FIBERSQL_TABLE(handle, model, ...) FIBERSQL_TABLE_AS(handle, #handle, model, __VA_ARGS__)

// FIBERSQL_TABLE_META: table-level keys, after the table:
//   FIBERSQL_TABLE_META(tweets, orm::index(tweets.user_id, tweets.created));
#define FIBERSQL_TABLE_META(handle, ...)                                                                  \
  inline constexpr ::fibersql::orm::table_meta BOOST_PP_CAT(fibersql_meta_, handle) =                     \
      ::fibersql::orm::detail::make_meta(__VA_ARGS__);                                                    \
  constexpr const ::fibersql::orm::table_meta* fibersql_table_meta(const BOOST_PP_CAT(handle, _table)&) { \
    return &BOOST_PP_CAT(fibersql_meta_, handle);                                                         \
  }                                                                                                       \
  static_assert(true)
FIBERSQL_PUBLIC_END
