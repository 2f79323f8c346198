#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// update(t).set(assignments...).where(cond): an UPDATE as a value. Without .where() it does
// not render (compile error) unless the caller says .all_rows() (peewee #2277's guard).
#include <memory>

#include <fibersql/orm/detail/query_state.hpp>
#include <fibersql/orm/execute.hpp>
#include <fibersql/orm/insert.hpp>
#include <fibersql/orm/table.hpp>

namespace fibersql::orm {

template <bool Bounded>
class update_query {
 public:
  explicit update_query(std::shared_ptr<detail::update_state> s) : s_(std::move(s)) {}
  template <class... A>
  update_query set(const A&... a) const {
    return change<Bounded>([&](detail::update_state& s) { detail::add_assignments(s.sets, a...); });
  }
  template <class C>
  update_query<true> where(const C& cond) const {
    static_assert(detail::condition<C>, "fibersql::orm: where() needs a boolean expression");
    return change<true>([&](detail::update_state& s) { detail::add_where(s.where, cond.fibersql_node()); });
  }
  // all_rows: says that updating every row is meant.
  update_query<true> all_rows() const {
    return change<true>([](detail::update_state&) {});
  }
  // sql: Throws: programming_error (no assignment).
  statement sql(const dialect& d) const {
    static_assert(Bounded,
                  "fibersql::orm: update() without where(); add .where(...), or .all_rows() to update every row");
    return detail::render_update(*s_, d);
  }
  // execute: runs the statement on the calling fiber's connection; the rows it changed.
  std::uint64_t execute(db::database& db) const { return detail::run(db, sql(detail::dialect_for(db))).affected_rows; }

 private:
  template <bool B, class F>
  update_query<B> change(F&& f) const {
    auto s = std::make_shared<detail::update_state>(*s_);
    f(*s);
    return update_query<B>(std::move(s));
  }
  template <bool>
  friend class update_query;
  std::shared_ptr<detail::update_state> s_;
};

template <table T>
update_query<false> update(const T& t) {
  auto s = std::make_shared<detail::update_state>();
  s->table = detail::ref_of(t);
  return update_query<false>(std::move(s));
}

}  // namespace fibersql::orm
FIBERSQL_PUBLIC_END
