#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// prefetch / prefetch_parents (design §7.8): a relation fetched in one query whatever the
// number of parents, instead of one query per parent (N+1). The keys come from the rows
// already fetched (peewee's MATERIALIZE strategy: the parent query is not run again), split
// into IN lists under the dialect's parameter budget; the result reaches each parent's
// children, or each child's parent, in O(1). A per-parent limit ("the 3 newest tweets of
// each user") ranks the children with ROW_NUMBER() OVER (PARTITION BY fk ORDER BY ...).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <ranges>
#include <span>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fibersql/db/database.hpp>
#include <fibersql/orm/bulk.hpp>
#include <fibersql/orm/column.hpp>
#include <fibersql/orm/crud.hpp>
#include <fibersql/orm/select.hpp>

namespace fibersql::orm {

struct prefetch_options {
  // Keys per statement at most (0: the dialect's budget alone: 32,766 bound values on SQLite
  // >= 3.32, 999 before; on MySQL/MariaDB 65,535 placeholders and about 1 MiB of keys).
  std::size_t max_keys = 0;
  // prefetch only: children kept per parent, the first ones in the child query's order_by
  // (ROW_NUMBER(), SQLite >= 3.25, MariaDB >= 10.2, MySQL 8; not_supported_error before).
  // 0: every child.
  std::int64_t per_parent = 0;
};

namespace detail {
struct key_budget {
  std::size_t max_params = 0;  // keys per statement
  std::size_t max_bytes = 0;   // estimated key bytes per statement (MySQL's packet)
};
// prefetch_budget: the keys one statement may carry on d when the query binds `used` values
// already. Throws: programming_error when no key fits.
key_budget prefetch_budget(const dialect& d, std::size_t used, std::size_t max_keys);
// refers_to: does fk reference `target`, a column of `target_table`?
bool refers_to(const column_info& fk, const column_info& target, const table_info& target_table) noexcept;
[[noreturn]] void fail_no_reference(const column_info& fk, const table_info& parent);
[[noreturn]] void fail_per_parent_on_parents();
// render_prefetch: q (its IN list added) for d; with per_parent > 0, ranked per fk value by
// ROW_NUMBER() OVER (PARTITION BY fk ORDER BY q's order_by) and cut at per_parent.
// Throws: programming_error (q has LIMIT/OFFSET; per_parent without order_by or negative),
// not_supported_error (no window functions on d).
statement render_prefetch(const select_state& q, const dialect& d, const column_info& fk, std::int64_t per_parent);

// key_of: the key a member holds, or nullptr when it is a null optional.
template <class Key, class Model, class Member>
const Key* key_of(const Model& m, Member Model::*member) noexcept {
  if constexpr (is_optional_v<Member>)
    return (m.*member) ? &*(m.*member) : nullptr;
  else
    return &(m.*member);
}

// key_member: the member of a parent that holds the key a child's column refers to.
template <class Parent, class Key>
struct key_member {
  Key Parent::*plain = nullptr;
  std::optional<Key> Parent::*optional = nullptr;
  const Key* of(const Parent& p) const noexcept { return plain ? key_of<Key>(p, plain) : key_of<Key>(p, optional); }
};

// with_referenced: f(c) for the column of table t that fk refers to, holding Key.
// Throws: programming_error when t has none.
template <class T, class Key, class F>
void with_referenced(const T& t, const column_info& fk, F&& f) {
  bool found = false;
  T::fibersql_each(t, [&](const auto& c) {
    using member = typename std::remove_cvref_t<decltype(c)>::member_type;
    if constexpr (std::is_same_v<strip_optional_t<member>, Key>)
      if (!found && refers_to(fk, *c.info, T::fibersql_info)) {
        found = true;
        f(c);
      }
  });
  if (!found) fail_no_reference(fk, T::fibersql_info);
}

template <class Parent, class Key, class T>
key_member<Parent, Key> referenced_key(const T& t, const column_info& fk) {
  key_member<Parent, Key> out;
  with_referenced<T, Key>(t, fk, [&](const auto& c) {
    if constexpr (is_optional_v<typename std::remove_cvref_t<decltype(c)>::member_type>)
      out.optional = c.member;
    else
      out.plain = c.member;
  });
  return out;
}

// distinct_keys: the keys of `rows` (nulls left out), sorted, each once.
template <class Key, class Rows, class KeyOf>
std::vector<Key> distinct_keys(const Rows& rows, KeyOf&& key) {
  std::vector<Key> keys;
  for (const auto& r : rows)
    if (const Key* k = key(r)) keys.push_back(*k);
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

// fetch_by_keys: the rows of q whose column `col` is one of `keys`: one statement per chunk
// of keys under the dialect's budget.
template <class Row, class S, class O, class M, class Member, class Key>
std::vector<Row> fetch_by_keys(db::database& db, const select_query<Row, S, O>& q, const column<M, Member>& col,
                               std::span<const Key> keys, const prefetch_options& o) {
  const dialect d = dialect_for(db);
  const key_budget budget = prefetch_budget(d, q.sql(d).params.size() + (o.per_parent > 0 ? 1 : 0), o.max_keys);
  std::vector<Row> rows;
  for (std::size_t from = 0; from < keys.size();) {
    std::size_t n = 0;
    for (std::size_t bytes = 0; from + n < keys.size() && n < budget.max_params; ++n) {
      bytes += approx_bytes(keys[from + n]);
      if (n > 0 && bytes > budget.max_bytes) break;
    }
    const auto part = q.where(col.in(keys.subspan(from, n)));
    fibersql::result r = run(db, render_prefetch(*part.fibersql_state(), d, *col.info, o.per_parent));
    rows.reserve(rows.size() + r.rows.size());
    for (fibersql::row& x : r.rows) {
      std::size_t at = 0;
      rows.push_back(decode_as<Row, Row>(x, at));
    }
    from += n;
  }
  return rows;
}
}  // namespace detail

// The children of each parent, grouped: children_of(parent) is a span, found in O(1).
template <class Parent, class Child, class Key>
class prefetched_children {
 public:
  prefetched_children() = default;
  prefetched_children(detail::key_member<Parent, Key> parent_key, std::vector<Child> rows, Key Child::*fk)
      : parent_key_(parent_key) {
    group(std::move(rows), [fk](const Child& c) { return &(c.*fk); });
  }
  prefetched_children(detail::key_member<Parent, Key> parent_key, std::vector<Child> rows,
                      std::optional<Key> Child::*fk)
      : parent_key_(parent_key) {
    group(std::move(rows), [fk](const Child& c) { return detail::key_of<Key>(c, fk); });
  }

  // children_of: p's children, in the child query's order (empty when none).
  std::span<const Child> children_of(const Parent& p) const {
    const Key* k = parent_key_.of(p);
    return k ? of_key(*k) : std::span<const Child>{};
  }
  // of_key: the children whose reference holds k.
  std::span<const Child> of_key(const Key& k) const {
    const auto it = index_.find(k);
    if (it == index_.end()) return {};
    return std::span<const Child>(rows_).subspan(it->second.first, it->second.second);
  }
  // all: every child fetched, grouped by parent.
  std::span<const Child> all() const noexcept { return rows_; }
  std::size_t size() const noexcept { return rows_.size(); }

 private:
  // group: a counting sort by key, stable, so each parent's children keep the query's order.
  template <class KeyOf>
  void group(std::vector<Child> rows, KeyOf key) {
    for (const Child& c : rows)
      if (const Key* k = key(c)) ++index_[*k].second;
    std::size_t at = 0;
    for (auto& [k, range] : index_) {
      range.first = at;
      at += range.second;
      range.second = 0;
    }
    rows_.resize(at);
    for (Child& c : rows)
      if (const Key* k = key(c)) {
        auto& range = index_.find(*k)->second;
        rows_[range.first + range.second++] = std::move(c);
      }
  }

  detail::key_member<Parent, Key> parent_key_{};
  std::vector<Child> rows_;
  std::unordered_map<Key, std::pair<std::size_t, std::size_t>> index_;  // key -> (first, count)
};

// The parent of each child: parent_of(child) in O(1).
template <class Child, class Parent, class Key>
class prefetched_parents {
 public:
  prefetched_parents() = default;
  prefetched_parents(detail::key_member<Child, Key> child_key, detail::key_member<Parent, Key> parent_key,
                     std::vector<Parent> rows)
      : child_key_(child_key) {
    for (Parent& p : rows)
      if (const Key* k = parent_key.of(p)) parents_.emplace(*k, std::move(p));
  }

  // parent_of: c's parent, or nullptr (a null reference, or no such parent row).
  const Parent* parent_of(const Child& c) const {
    const Key* k = child_key_.of(c);
    return k ? of_key(*k) : nullptr;
  }
  const Parent* of_key(const Key& k) const {
    const auto it = parents_.find(k);
    return it == parents_.end() ? nullptr : &it->second;
  }
  std::size_t size() const noexcept { return parents_.size(); }

 private:
  detail::key_member<Child, Key> child_key_{};
  std::unordered_map<Key, Parent> parents_;
};

// prefetch: the children (rows of children_query, by default every row of fk's table) of
// `parents`, joined by fk, the column of the child table that references the parents' key
// (`references(users.id)`): `orm::prefetch(db, users, tweets.user_id)`. Runs one statement
// per options.max_keys / dialect budget of distinct keys (one for any realistic page);
// nothing when there are no keys. The chunks are separate statements: inside db.atomic()
// they read one snapshot on InnoDB's REPEATABLE READ.
// Throws: programming_error (fk references no column of the parents' table; children_query
// has LIMIT/OFFSET; per_parent without order_by), not_supported_error (per_parent without
// window functions), the database's errors.
template <std::ranges::forward_range Parents, class Child, class Fk, class S, class O>
auto prefetch(db::database& db, const Parents& parents, const column<Child, Fk>& fk,
              const select_query<Child, S, O>& children_query, const prefetch_options& options = {}) {
  using Parent = std::remove_cvref_t<std::ranges::range_value_t<Parents>>;
  using Key = detail::strip_optional_t<Fk>;
  static_assert(detail::model<Parent>, "fibersql::orm: prefetch() needs a range of models as parents");
  const auto parent_key = detail::referenced_key<Parent, Key>(detail::table_of<Parent>(), *fk.info);
  const std::vector<Key> keys = detail::distinct_keys<Key>(parents, [&](const Parent& p) { return parent_key.of(p); });
  std::vector<Child> rows;
  if (!keys.empty()) rows = detail::fetch_by_keys(db, children_query, fk, std::span<const Key>(keys), options);
  return prefetched_children<Parent, Child, Key>(parent_key, std::move(rows), fk.member);
}
template <std::ranges::forward_range Parents, class Child, class Fk>
auto prefetch(db::database& db, const Parents& parents, const column<Child, Fk>& fk,
              const prefetch_options& options = {}) {
  return prefetch(db, parents, fk, select(detail::table_of<Child>()), options);
}

// prefetch_parents: the other direction, the parents (rows of parent_query, or of a parent
// table) of `children` by their reference fk: `orm::prefetch_parents(db, tweets, tweets.user_id, users)`.
// Throws: as prefetch; programming_error for options.per_parent.
template <std::ranges::forward_range Children, class Child, class Fk, class Parent, class S, class O>
auto prefetch_parents(db::database& db, const Children& children, const column<Child, Fk>& fk,
                      const select_query<Parent, S, O>& parent_query, const prefetch_options& options = {}) {
  static_assert(std::is_same_v<std::remove_cvref_t<std::ranges::range_value_t<Children>>, Child>,
                "fibersql::orm: prefetch_parents(): fk must be a column of the children's table");
  using Key = detail::strip_optional_t<Fk>;
  if (options.per_parent != 0) detail::fail_per_parent_on_parents();
  const detail::key_member<Child, Key> child_key = [&] {
    detail::key_member<Child, Key> k;
    if constexpr (detail::is_optional_v<Fk>)
      k.optional = fk.member;
    else
      k.plain = fk.member;
    return k;
  }();
  const auto parent_key = detail::referenced_key<Parent, Key>(detail::table_of<Parent>(), *fk.info);
  const std::vector<Key> keys = detail::distinct_keys<Key>(children, [&](const Child& c) { return child_key.of(c); });
  std::vector<Parent> rows;
  if (!keys.empty())
    detail::with_referenced<std::remove_cvref_t<decltype(detail::table_of<Parent>())>, Key>(
        detail::table_of<Parent>(), *fk.info, [&](const auto& pk) {
          rows = detail::fetch_by_keys(db, parent_query, pk, std::span<const Key>(keys), options);
        });
  return prefetched_parents<Child, Parent, Key>(child_key, parent_key, std::move(rows));
}
template <std::ranges::forward_range Children, class Child, class Fk, table T>
auto prefetch_parents(db::database& db, const Children& children, const column<Child, Fk>& fk, const T& parents,
                      const prefetch_options& options = {}) {
  return prefetch_parents(db, children, fk, select(parents), options);
}

}  // namespace fibersql::orm
FIBERSQL_PUBLIC_END
