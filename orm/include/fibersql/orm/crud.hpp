#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// CRUD shortcuts in peewee's spirit (design §7.3, §7.10): insert one model (its
// auto-increment id filled in), get_by_id / get / get_or_none, save (insert or update by
// key), erase, and get_or_create that is correct when fibers race on the same key.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fibersql/db/database.hpp>
#include <fibersql/orm/delete_from.hpp>
#include <fibersql/orm/errors.hpp>
#include <fibersql/orm/insert.hpp>
#include <fibersql/orm/select.hpp>
#include <fibersql/orm/update.hpp>

namespace fibersql::orm {

namespace detail {
template <class M>
const auto& table_of() {
  return fibersql_table_of(static_cast<const M*>(nullptr));
}
// with_key: calls f with the table's single-column primary key handle.
template <class T, class F>
void with_key(const T& t, F&& f) {
  int found = 0;
  T::fibersql_each(t, [&](const auto& c) {
    // A key is never nullable: optional columns are not instantiated with f.
    if constexpr (!is_optional_v<typename std::remove_cvref_t<decltype(c)>::member_type>)
      if (c.info->is_primary_key() && found++ == 0) f(c);
  });
  if (found != 1)
    throw programming_error(0, "42000",
                            "fibersql::orm: table " + std::string(T::fibersql_info.name) +
                                " needs exactly one primary-key column for this call");
}
}  // namespace detail

// insert: inserts m; an auto-increment key left at 0 is filled in from the server's id.
// Throws: integrity_error (duplicate key, foreign key), the database's errors.
template <detail::model M>
void insert(db::database& db, M& m) {
  const auto& t = detail::table_of<M>();
  const fibersql::result r = detail::run(db, insert_into(t).values(m).sql(detail::dialect_for(db)));
  std::remove_cvref_t<decltype(t)>::fibersql_each(t, [&](const auto& c) {
    using member = typename std::remove_cvref_t<decltype(c)>::member_type;
    if constexpr (std::is_integral_v<member>)
      if (c.info->options.auto_increment && m.*c.member == 0) m.*c.member = static_cast<member>(r.insert_id);
  });
}

// get: the one row matching cond. Throws: orm::does_not_exist naming the table and the SQL.
template <table T, class C>
typename T::fibersql_model get(db::database& db, const T& t, const C& cond) {
  return select(t).where(cond).get(db);
}
// get_or_none: the row matching cond, or nothing.
template <table T, class C>
std::optional<typename T::fibersql_model> get_or_none(db::database& db, const T& t, const C& cond) {
  return select(t).where(cond).first(db);
}
// get_by_id: the row whose primary key is id. Throws: orm::does_not_exist.
template <table T, class K>
typename T::fibersql_model get_by_id(db::database& db, const T& t, const K& id) {
  std::optional<typename T::fibersql_model> out;
  detail::with_key(t, [&](const auto& key) {
    // with_key's visitor is instantiated for every column: compare only where the types fit.
    if constexpr (detail::comparable_operands<std::remove_cvref_t<decltype(key)>, K>)
      out = select(t).where(key == id).get(db);
    else
      throw programming_error(0, "42000",
                              "fibersql::orm: get_by_id: the id's type does not fit the key " +
                                  std::string(key.info->table) + "." + std::string(key.info->name));
  });
  return std::move(*out);
}

// save: inserts m when its auto-increment key is still 0, else updates every other column
// of the row with m's key. Returns the rows changed (MySQL counts an unchanged row as 0).
template <detail::model M>
std::uint64_t save(db::database& db, M& m) {
  const auto& t = detail::table_of<M>();
  std::uint64_t changed = 0;
  detail::with_key(t, [&](const auto& key) {
    using member = typename std::remove_cvref_t<decltype(key)>::member_type;
    if constexpr (std::is_integral_v<member>) {
      if (key.info->options.auto_increment && m.*key.member == 0) {
        insert(db, m);
        changed = 1;
        return;
      }
    }
    auto u = update(t).where(key == m.*key.member);
    std::remove_cvref_t<decltype(t)>::fibersql_each(t, [&](const auto& c) {
      if (!c.info->is_primary_key()) u = u.set(c = m.*c.member);
    });
    changed = u.execute(db);
  });
  return changed;
}

// erase: deletes the row with m's key; the rows deleted (0 or 1).
template <detail::model M>
std::uint64_t erase(db::database& db, const M& m) {
  const auto& t = detail::table_of<M>();
  std::uint64_t n = 0;
  detail::with_key(t, [&](const auto& key) { n = delete_from(t).where(key == m.*key.member).execute(db); });
  return n;
}

// get_or_create: the row matching cond, or `fresh` inserted; .second is true when this call
// inserted it. Correct under concurrency: the INSERT runs in a savepoint; on a duplicate key
// (another fiber or client won the race) the row is read again, with a locking read on
// MySQL/MariaDB (a plain read in REPEATABLE READ sees the old snapshot and misses the
// winner's row, peewee #2948); still absent -> the original integrity_error is rethrown.
template <table T, class C>
std::pair<typename T::fibersql_model, bool> get_or_create(db::database& db, const T& t, const C& cond,
                                                          typename T::fibersql_model fresh) {
  if (auto found = select(t).where(cond).first(db)) return {std::move(*found), false};
  try {
    db.atomic([&] { insert(db, fresh); });
    return {std::move(fresh), true};
  } catch (const integrity_error&) {
    auto again = select(t).where(cond);
    if (detail::dialect_for(db).mysql_family()) again = again.for_share();
    if (auto found = again.first(db)) return {std::move(*found), false};
    throw;
  }
}

}  // namespace fibersql::orm
FIBERSQL_PUBLIC_END
