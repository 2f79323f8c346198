#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// delete_from(t).where(cond): a DELETE as a value. Without .where() it does not render
// (compile error) unless the caller says .all_rows().
#include <memory>

#include <fibersql/orm/detail/query_state.hpp>
#include <fibersql/orm/execute.hpp>
#include <fibersql/orm/table.hpp>

namespace fibersql::orm {

template <bool Bounded>
class delete_query {
 public:
  explicit delete_query(std::shared_ptr<detail::delete_state> s) : s_(std::move(s)) {}
  template <class C>
  delete_query<true> where(const C& cond) const {
    static_assert(detail::condition<C>, "fibersql::orm: where() needs a boolean expression");
    auto s = std::make_shared<detail::delete_state>(*s_);
    detail::add_where(s->where, cond.fibersql_node());
    return delete_query<true>(std::move(s));
  }
  // all_rows: says that deleting every row is meant.
  delete_query<true> all_rows() const { return delete_query<true>(s_); }
  statement sql(const dialect& d) const {
    static_assert(Bounded,
                  "fibersql::orm: delete_from() without where(); add .where(...), or .all_rows() to delete every row");
    return detail::render_delete(*s_, d);
  }
  // execute: runs the statement on the calling fiber's connection; the rows it changed.
  std::uint64_t execute(db::database& db) const { return detail::run(db, sql(detail::dialect_for(db))).affected_rows; }

 private:
  std::shared_ptr<detail::delete_state> s_;
};

template <table T>
delete_query<false> delete_from(const T& t) {
  auto s = std::make_shared<detail::delete_state>();
  s->table = detail::ref_of(t);
  return delete_query<false>(std::move(s));
}

}  // namespace fibersql::orm
FIBERSQL_PUBLIC_END
