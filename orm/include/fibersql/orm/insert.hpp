#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// insert_into(t).values(row) / .values(rows) / .set(assignments...), and the upsert clause
// `.on_conflict(key...)` (design §7.5): rendered so the statement means the same on SQLite,
// MariaDB and MySQL 8, or refuses to render.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include <fibersql/orm/detail/query_state.hpp>
#include <fibersql/orm/execute.hpp>
#include <fibersql/orm/table.hpp>

namespace fibersql::orm {

// any_unique_key: on_conflict(any_unique_key) accepts a conflict on any unique key (what
// MySQL's ON DUPLICATE KEY always does) instead of naming one.
struct any_unique_key_t {};
inline constexpr any_unique_key_t any_unique_key{};

namespace detail {
// unset: a member the database fills (auto_increment 0, default_now at the epoch) is left
// out of the INSERT so the database's value applies.
template <class V>
bool unset(const column_info& c, const V& v) {
  if constexpr (integer_value<V>)
    return c.options.auto_increment && v == 0;
  else if constexpr (std::same_as<V, fibersql::datetime>)
    return c.options.default_now && v == fibersql::datetime{};
  else
    return false;
}
// sets_column: whether any of `rows` gives column c a value of its own, so an INSERT of them
// must name c (rows that all leave it unset let the database's value apply).
template <class C, class M>
bool sets_column(const C& c, std::span<const M> rows) {
  return std::any_of(rows.begin(), rows.end(), [&](const M& m) { return !unset(*c.info, m.*c.member); });
}
template <class... A>
void add_assignments(std::vector<assignment>& out, const A&... a) {
  static_assert((std::same_as<A, assignment> && ...), "fibersql::orm: expected assignments like `users.name = value`");
  (out.push_back(a), ...);
}
}  // namespace detail

// upsert_result: what an upsert did. id: the row's id after an insert and after an update
// (SQLite: RETURNING; MySQL/MariaDB: `id = LAST_INSERT_ID(id)` in the update list); empty
// when the table has no single auto-increment key, after do_nothing() kept an existing row,
// and on SQLite when .where() skipped the update. affected: the server's count (MySQL: 1 for
// an insert, 2 for an update, 0 for an unchanged row).
struct upsert_result {
  std::optional<std::int64_t> id;
  std::uint64_t affected = 0;
};

class upsert_query {
 public:
  explicit upsert_query(std::shared_ptr<detail::insert_state> s) : s_(std::move(s)) {}
  // update: assignments on conflict; orm::excluded(c) is the value the insert would have written.
  template <class... A>
  upsert_query update(const A&... a) const {
    return change([&](detail::insert_state& s) { detail::add_assignments(s.conflict.updates, a...); });
  }
  // update_from_excluded: set each column to the would-be-inserted value (peewee's preserve).
  template <class... C>
  upsert_query update_from_excluded(const C&... cols) const {
    return change([&](detail::insert_state& s) {
      (s.conflict.updates.push_back({cols.info, detail::make_excluded(*cols.info)}), ...);
    });
  }
  // do_nothing: keep the existing row (never INSERT IGNORE, which downgrades other errors).
  upsert_query do_nothing() const {
    return change([](detail::insert_state& s) { s.conflict.do_nothing = true; });
  }
  // where: update only the conflicting rows matching cond.
  template <class C>
  upsert_query where(const C& cond) const {
    static_assert(detail::condition<C>, "fibersql::orm: where() needs a boolean expression");
    return change([&](detail::insert_state& s) { detail::add_where(s.conflict.where, cond.fibersql_node()); });
  }
  // sql: Throws: programming_error (no such unique key, MySQL ambiguity), not_supported_error.
  statement sql(const dialect& d) const { return detail::render_insert(*s_, d); }

  // execute: runs the statement on the calling fiber's connection; the row's id and the
  // server's count (see upsert_result).
  upsert_result execute(db::database& db) const {
    const dialect d = detail::dialect_for(db);
    const fibersql::result r = detail::run(db, sql(d));
    upsert_result out{std::nullopt, r.affected_rows};
    if (!r.rows.empty())
      out.id = r.rows.front().get<std::int64_t>(0);
    else if (d.mysql_family() && r.insert_id != 0)
      out.id = static_cast<std::int64_t>(r.insert_id);
    return out;
  }

 private:
  template <class F>
  upsert_query change(F&& f) const {
    auto s = std::make_shared<detail::insert_state>(*s_);
    f(*s);
    return upsert_query(std::move(s));
  }
  std::shared_ptr<detail::insert_state> s_;
};

template <table T>
class insert_query {
 public:
  explicit insert_query(std::shared_ptr<detail::insert_state> s) : s_(std::move(s)) {}
  // on_conflict(cols...): the unique key (primary key, unique column or unique index) whose
  // conflict the upsert handles; on_conflict(any_unique_key): any of them.
  template <class... C>
  upsert_query on_conflict(const C&... cols) const {
    auto s = std::make_shared<detail::insert_state>(*s_);
    s->conflict.present = true;
    if constexpr ((std::same_as<C, any_unique_key_t> && ...)) {
      s->conflict.any_unique_key = true;
    } else {
      static_assert((expression<C> && ...), "fibersql::orm: on_conflict() takes the columns of a unique key");
      (s->conflict.target.push_back(cols.info), ...);
    }
    return upsert_query(std::move(s));
  }
  statement sql(const dialect& d) const { return detail::render_insert(*s_, d); }

  // execute: runs the statement on the calling fiber's connection; the rows it changed.
  std::uint64_t execute(db::database& db) const { return detail::run(db, sql(detail::dialect_for(db))).affected_rows; }

 private:
  std::shared_ptr<detail::insert_state> s_;
};

template <table T>
class insert_builder {
  using model = typename T::fibersql_model;

 public:
  explicit insert_builder(const T& t) : t_(t) {}
  // values(row): one row from a model instance.
  insert_query<T> values(const model& row) const { return values(std::span<const model>(&row, 1)); }
  // values(rows): several rows in one statement (the column set of the first decides).
  insert_query<T> values(std::span<const model> rows) const {
    auto s = start();
    T::fibersql_each(t_, [&](const auto& c) {
      if (rows.empty() || detail::sets_column(c, rows)) s->columns.push_back(c.info);
    });
    for (const model& r : rows) {
      auto& out = s->rows.emplace_back();
      T::fibersql_each(t_, [&](const auto& c) {
        for (const column_info* k : s->columns)
          if (k == c.info) out.push_back(detail::to_param(r.*c.member));
      });
    }
    return insert_query<T>(std::move(s));
  }
  // set(assignments...): one row from explicit `column = value` pairs.
  template <class... A>
  insert_query<T> set(const A&... a) const {
    auto s = start();
    std::vector<detail::assignment> as;
    detail::add_assignments(as, a...);
    auto& out = s->rows.emplace_back();
    for (auto& x : as) {
      s->columns.push_back(x.target);
      out.push_back(x.value);
    }
    return insert_query<T>(std::move(s));
  }

 private:
  std::shared_ptr<detail::insert_state> start() const {
    auto s = std::make_shared<detail::insert_state>();
    s->table = detail::ref_of(t_);
    return s;
  }
  T t_;
};

template <table T>
insert_builder<T> insert_into(const T& t) {
  return insert_builder<T>(t);
}

}  // namespace fibersql::orm
FIBERSQL_PUBLIC_END
