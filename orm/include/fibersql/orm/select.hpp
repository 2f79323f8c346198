#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// select(...): a select query as a value. Each modifier returns a new query; `.sql(dialect)`
// renders it without a database. Rows are the selected model (select(users)), one value
// (select(users.id)), or a std::tuple of models and values (select(tweets, users)).
#include <cstdint>
#include <memory>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <fibersql/orm/batches.hpp>
#include <fibersql/orm/decode.hpp>
#include <fibersql/orm/detail/query_state.hpp>
#include <fibersql/orm/errors.hpp>
#include <fibersql/orm/execute.hpp>
#include <fibersql/orm/expr.hpp>
#include <fibersql/orm/stream.hpp>
#include <fibersql/orm/table.hpp>

namespace fibersql::orm {

namespace detail {
template <class I>
struct item_row {
  using type = typename I::fibersql_expr_type;
};
template <table T>
struct item_row<T> {
  using type = typename T::fibersql_model;
};
template <class... I>
struct row_of {
  using type = std::tuple<typename item_row<I>::type...>;
};
template <class I>
struct row_of<I> {
  using type = typename item_row<I>::type;
};

// origins<O...>: for each selected item, the model it reads (a table or one of its columns),
// or void for other expressions: what an outer join re-types. no_origins: unknown (a
// query type written by hand), so joins leave the row type alone.
template <class... O>
struct origins {};
struct no_origins {};
template <class I>
struct item_origin {
  using type = void;
};
template <table T>
struct item_origin<T> {
  using type = typename T::fibersql_model;
};
template <class Model, class Member>
struct item_origin<column<Model, Member>> {
  using type = Model;
};

template <class V>
using nullable_t = std::conditional_t<is_optional_v<V>, V, std::optional<V>>;
// on_null_side<O, M>: is an item of origin O on the side an outer join of M may leave NULL
// (M = void: every side, FULL JOIN)?
template <class O, class M>
inline constexpr bool on_null_side = !std::is_void_v<O> && (std::is_void_v<M> || std::is_same_v<O, M>);

// outer_joined<Source, Origins, M>: the select's own row type once model M is outer-joined.
template <class Source, class Origins, class M>
struct outer_joined {
  using type = Source;
};
template <class Source, class O, class M>
struct outer_joined<Source, origins<O>, M> {
  using type = std::conditional_t<on_null_side<O, M>, nullable_t<Source>, Source>;
};
template <class... T, class... O, class M>
requires(sizeof...(T) == sizeof...(O) && sizeof...(O) > 1) struct outer_joined<std::tuple<T...>, origins<O...>, M> {
  using type = std::tuple<std::conditional_t<on_null_side<O, M>, nullable_t<T>, T>...>;
};

template <class I>
node_ptr item_node(select_state& s, const I& item) {
  if constexpr (table<I>) {
    table_ref t = ref_of(item);
    set_from_if_unset(s, t);
    return make_model(t);
  } else {
    static_assert(expression<I>, "fibersql::orm: select() takes tables, columns and expressions");
    return item.fibersql_node();
  }
}
template <class O>
order_term order_of(const O& o) {
  if constexpr (std::same_as<O, ordering>)
    return {o.node, o.descending};
  else {
    static_assert(expression<O>, "fibersql::orm: order_by() takes expressions or .asc()/.desc()");
    return {o.fibersql_node(), false};
  }
}
}  // namespace detail

// Row: what the terminals give; Source: the row type the select list decodes to (they differ
// after .into<S>()); Origins: which model each selected item reads, so that left_join and
// full_join can make that side std::optional at compile time.
template <class Row, class Source = Row, class Origins = detail::no_origins>
class select_query {
  // The query type once model M (void: every model, FULL JOIN) is outer-joined.
  template <class M>
  using outer_source = typename detail::outer_joined<Source, Origins, M>::type;
  template <class M>
  using outer_row = std::conditional_t<std::is_same_v<Row, Source>, outer_source<M>, Row>;
  template <class M>
  using outer_query = select_query<outer_row<M>, outer_source<M>, Origins>;

 public:
  using row_type = Row;
  explicit select_query(std::shared_ptr<detail::select_state> s) : s_(std::move(s)) {}

  // into<S>: rows built into any aggregate S by position (brace-init from the selected values
  // in order), checked at compile time.
  template <class S>
  select_query<S, Source, Origins> into() const {
    static_assert(detail::brace_from<S, Source>::value,
                  "fibersql::orm: into<S>(): S cannot be brace-initialised from the selected values in order");
    return select_query<S, Source, Origins>(s_);
  }

  // where: filters rows; several calls are ANDed. On a temporary query (select(t).where(...),
  // the usual chain) this and order_by and limit add to its clauses in place instead of
  // copying them, unless another query shares them.
  template <class C>
  select_query where(const C& cond) const& {
    static_assert(detail::condition<C>, "fibersql::orm: where() needs a boolean expression");
    return change([&](detail::select_state& s) { detail::add_where(s.where, cond.fibersql_node()); });
  }
  // The temporary form also takes a temporary condition's node (the query then owns the whole
  // tree alone, and get() on it frees the tree before waiting for the server).
  template <class C>
  select_query where(C&& cond) && {
    static_assert(detail::condition<std::remove_cvref_t<C>>, "fibersql::orm: where() needs a boolean expression");
    return std::move(*this).change(
        [&](detail::select_state& s) { detail::add_where(s.where, std::forward<C>(cond).fibersql_node()); });
  }
  // from: the FROM table when no selected item names one (select(fn::count()).from(users)).
  template <table T>
  select_query from(const T& t) const {
    return change([&](detail::select_state& s) { s.from = detail::ref_of(t); });
  }
  // join / left_join / full_join: with an ON condition, or inferred from the one reference
  // between t and the tables already in the query (programming_error naming the candidates
  // when there are several, or none). left_join(t) makes t's selected model
  // std::optional<model> (nullopt when no row matched) and t's selected columns
  // std::optional; full_join does so for every table's. The type cannot tell an alias from
  // its table, so a self-join's columns of that model are all optional; other expressions
  // over t's columns keep their type (fn::coalesce, or a std::optional expression, for NULL).
  template <table T>
  select_query join(const T& t) const {
    return join_with(detail::join_kind::inner, t, nullptr);
  }
  template <table T, class C>
  select_query join(const T& t, const C& on) const {
    return join_with(detail::join_kind::inner, t, on_node(on));
  }
  template <table T>
  outer_query<typename T::fibersql_model> left_join(const T& t) const {
    return outer_query<typename T::fibersql_model>(join_with(detail::join_kind::left, t, nullptr).s_);
  }
  template <table T, class C>
  outer_query<typename T::fibersql_model> left_join(const T& t, const C& on) const {
    return outer_query<typename T::fibersql_model>(join_with(detail::join_kind::left, t, on_node(on)).s_);
  }
  template <table T, class C>
  outer_query<void> full_join(const T& t, const C& on) const {
    return outer_query<void>(join_with(detail::join_kind::full, t, on_node(on)).s_);
  }
  template <class... E>
  select_query group_by(const E&... e) const {
    static_assert((expression<E> && ...), "fibersql::orm: group_by() takes expressions");
    return change([&](detail::select_state& s) { (s.group_by.push_back(e.fibersql_node()), ...); });
  }
  template <class C>
  select_query having(const C& cond) const {
    static_assert(detail::condition<C>, "fibersql::orm: having() needs a boolean expression");
    return change([&](detail::select_state& s) { detail::add_where(s.having, cond.fibersql_node()); });
  }
  template <class... O>
  select_query order_by(const O&... o) const& {
    return change([&](detail::select_state& s) { (s.order_by.push_back(detail::order_of(o)), ...); });
  }
  template <class... O>
  select_query order_by(const O&... o) && {
    return std::move(*this).change([&](detail::select_state& s) { (s.order_by.push_back(detail::order_of(o)), ...); });
  }
  select_query limit(std::int64_t n) const& {
    return change([&](detail::select_state& s) { s.limit = n; });
  }
  select_query limit(std::int64_t n) && {
    return std::move(*this).change([&](detail::select_state& s) { s.limit = n; });
  }
  select_query offset(std::int64_t n) const {
    return change([&](detail::select_state& s) { s.offset = n; });
  }
  // paginate: page (1-based) of per_page rows, as peewee's.
  select_query paginate(std::int64_t page, std::int64_t per_page) const {
    return change([&](detail::select_state& s) {
      s.limit = per_page;
      s.offset = (page < 1 ? 0 : page - 1) * per_page;
    });
  }
  select_query distinct() const {
    return change([](detail::select_state& s) { s.distinct = true; });
  }
  // for_update / for_share: row locks (MySQL/MariaDB; SQLite serialises writers and omits them).
  select_query for_update() const {
    return change([](detail::select_state& s) { s.lock = detail::lock_mode::update; });
  }
  select_query for_share() const {
    return change([](detail::select_state& s) { s.lock = detail::lock_mode::share; });
  }

  // sql: the statement text and its bound values for dialect d.
  // Throws: programming_error, not_supported_error (see render_select).
  statement sql(const dialect& d) const { return detail::render_select(*s_, d); }
  detail::query_ptr fibersql_state() const { return s_; }

  // all: runs the query on the calling fiber's connection; every row as Row.
  // Throws: the database's errors; data_error when a value does not fit its member.
  // all, first and get on a temporary (select(t).where(...).get(db)) release its clauses
  // once rendered, before the statement waits for the server: with many fibers waiting, a
  // tree kept across the wait is cold in the cache by the time it would be freed.
  std::vector<Row> all(db::database& db) const& { return decode_all(detail::run(db, rendered(db))); }
  std::vector<Row> all(db::database& db) && { return decode_all(detail::run(db, std::move(*this).rendered(db))); }

  // first: the first row (the query with LIMIT 1), or nothing.
  std::optional<Row> first(db::database& db) const& { return first_of(detail::run(db, rendered(db, 1))); }
  std::optional<Row> first(db::database& db) && { return first_of(detail::run(db, std::move(*this).rendered(db, 1))); }
  // get: the first row; Throws: orm::does_not_exist naming the table and the SQL when none.
  Row get(db::database& db) const& { return get_of(db, rendered(db, 1), table_name()); }
  Row get(db::database& db) && {
    const std::string_view table = table_name();  // static metadata: outlives the clauses
    return get_of(db, std::move(*this).rendered(db, 1), table);
  }

 private:
  std::string_view table_name() const { return s_->from ? s_->from->qualifier() : std::string_view("result"); }
  statement rendered(db::database& db, std::optional<std::int64_t> limit = std::nullopt) const& {
    return detail::render_select(*s_, detail::dialect_for(db), limit);
  }
  statement rendered(db::database& db, std::optional<std::int64_t> limit = std::nullopt) && {
    statement s = detail::render_select(*s_, detail::dialect_for(db), limit);
    s_.reset();
    return s;
  }
  static std::vector<Row> decode_all(fibersql::result r) {
    std::vector<Row> out;
    out.reserve(r.rows.size());
    for (fibersql::row& row : r.rows) {
      std::size_t at = 0;
      out.push_back(detail::decode_as<Row, Source>(row, at));
    }
    return out;
  }
  static std::optional<Row> first_of(fibersql::result r) {
    if (r.rows.empty()) return std::nullopt;
    std::size_t at = 0;
    return detail::decode_as<Row, Source>(r.rows.front(), at);
  }
  static Row get_of(db::database& db, const statement& s, std::string_view table) {
    fibersql::result r = detail::run(db, s);
    if (r.rows.empty()) throw does_not_exist(table, s.text);
    std::size_t at = 0;
    return detail::decode_as<Row, Source>(r.rows.front(), at);
  }

 public:
  // scalar: the one value of the first row (a query selecting one expression).
  // Throws: orm::does_not_exist when there is no row.
  Row scalar(db::database& db) const requires(!detail::is_tuple_v<Row> && !detail::model<Row>) { return get(db); }
  // count: how many rows the query yields (SELECT COUNT(*) over it as a derived table, so
  // DISTINCT, GROUP BY and LIMIT count as the rows would).
  std::int64_t count(db::database& db) const {
    statement s = sql(detail::dialect_for(db));
    s.text = "SELECT COUNT(*) FROM (" + s.text + ") AS fibersql_count";
    return detail::run(db, s).rows.at(0).template get<std::int64_t>(0);
  }
  // exists: whether the query yields any row.
  bool exists(db::database& db) const {
    statement s = detail::render_select(*s_, detail::dialect_for(db), 1);
    s.text = "SELECT EXISTS (" + s.text + ")";
    return detail::run(db, s).rows.at(0).template get<std::int64_t>(0) != 0;
  }
  // rows: the raw result (peewee's dicts()): column names and values as the server sent them.
  fibersql::result rows(db::database& db) const { return detail::run(db, sql(detail::dialect_for(db))); }
  // stream: the rows one at a time, memory bounded by one row (orm/stream.hpp); the fiber's
  // connection is claimed until the stream ends. Throws: as db.stream().
  stream_range<Row, Source> stream(db::database& db) const {
    return stream_range<Row, Source>(db, sql(detail::dialect_for(db)));
  }
  // batches: the rows in pages of at most n by keyset pagination on the FROM table's primary
  // key, or on `key` (a unique NOT NULL column); the connection is free between pages
  // (orm/batches.hpp). Throws: programming_error when the query cannot be paged on the key.
  batch_range<Row, Source> batches(db::database& db, std::size_t n) const {
    return batch_range<Row, Source>(db, *s_, n);
  }
  template <class K>
  batch_range<Row, Source> batches(db::database& db, std::size_t n, const K& key) const {
    static_assert(expression<K>, "fibersql::orm: batches(db, n, key): the key must be a column");
    return batch_range<Row, Source>(db, *s_, n, key.fibersql_node());
  }

 private:
  template <class F>
  select_query change(F&& f) const& {
    auto s = detail::clone(*s_);
    f(*s);
    return select_query(std::move(s));
  }
  template <class F>
  select_query change(F&& f) && {
    if (s_.use_count() != 1) return std::as_const(*this).change(std::forward<F>(f));
    f(*s_);
    return select_query(std::move(s_));
  }
  template <class C>
  static detail::node_ptr on_node(const C& on) {
    static_assert(detail::condition<C>, "fibersql::orm: a join's ON needs a boolean expression");
    return on.fibersql_node();
  }
  template <class T>
  select_query join_with(detail::join_kind k, const T& t, detail::node_ptr on) const {
    return change([&](detail::select_state& s) { detail::add_join(s, k, detail::ref_of(t), std::move(on)); });
  }
  std::shared_ptr<detail::select_state> s_;
};

// select: a query over the given tables (every column, the row is the model), columns and
// expressions. FROM is the first table named (or the first column's table).
template <class... I>
auto select(const I&... items) {
  static_assert(sizeof...(I) > 0, "fibersql::orm: select() needs at least one table or expression");
  using row = typename detail::row_of<I...>::type;
  using query = select_query<row, row, detail::origins<typename detail::item_origin<I>::type...>>;
  auto s = std::make_shared<detail::select_state>();
  (s->columns.push_back(detail::item_node(*s, items)), ...);
  detail::infer_from(*s);
  return query(std::move(s));
}

}  // namespace fibersql::orm
FIBERSQL_PUBLIC_END
