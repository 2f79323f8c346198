#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// batch_range: what `query.batches(db, n)` returns: the query's rows in pages of at most n,
// by keyset pagination on a unique key (the FROM table's primary key unless one is given):
// `WHERE (the query's own condition) AND key > last ORDER BY key LIMIT n`. Each page is one
// complete statement, so memory stays bounded by n rows and the connection is free between
// pages: nested queries and writes in the loop work, inside atomic() too.
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include <fibersql/db/database.hpp>
#include <fibersql/orm/decode.hpp>
#include <fibersql/orm/detail/pull_iterator.hpp>
#include <fibersql/orm/detail/query_state.hpp>
#include <fibersql/orm/execute.hpp>

namespace fibersql::orm {

namespace detail {

// A select prepared for keyset pages: the key appended to its select list (the last column
// of each row), ordered by the key alone.
struct keyset_plan {
  std::shared_ptr<const select_state> query;
  node_ptr key;
  bool descending = false;  // the query ordered by key.desc(): pages go down
};

// plan_keyset: checks that `s` can be paged on `key` (nullptr: the FROM table's primary key)
// and prepares it. Throws: programming_error naming what stands in the way: no single-column
// primary key, a key that is not a unique NOT NULL column, an ORDER BY other than the key,
// LIMIT/OFFSET, GROUP BY, HAVING or DISTINCT.
keyset_plan plan_keyset(const select_state& s, node_ptr key);
// render_page: the statement of the page after `after` (nullopt: the first page) of n rows.
statement render_page(const keyset_plan& p, const std::optional<fibersql::value>& after, std::size_t n,
                      const dialect& d);
// check_key_order: `key` follows `previous` in the page order; programming_error otherwise
// (the key is not unique in the result, e.g. a join that repeats the FROM table's rows).
void check_key_order(const keyset_plan& p, const fibersql::value& previous, const fibersql::value& key);

}  // namespace detail

template <class Row, class Source = Row>
class batch_range {
 public:
  // Throws: as detail::plan_keyset; std::invalid_argument for n == 0.
  batch_range(db::database& db, const detail::select_state& s, std::size_t n, detail::node_ptr key = nullptr)
      : db_(&db), plan_(std::make_shared<detail::keyset_plan>(detail::plan_keyset(s, std::move(key)))), n_(n) {
    if (n == 0) throw std::invalid_argument("fibersql::orm: batches(db, n) needs n >= 1, got 0");
  }

  // next: the next page (1..n rows), or nullopt after the last. Runs one statement on the
  // calling fiber's connection. Throws: the database's errors; data_error; programming_error
  // when the key repeats in the result.
  std::optional<std::vector<Row>> next() {
    if (done_) return std::nullopt;
    fibersql::result r = detail::run(*db_, detail::render_page(*plan_, last_, n_, detail::dialect_for(*db_)));
    std::vector<Row> page;
    page.reserve(r.rows.size());
    for (fibersql::row& row : r.rows) {
      const fibersql::value& key = row.at(row.size() - 1);
      if (last_) detail::check_key_order(*plan_, *last_, key);
      last_ = key;  // before decoding, which moves strings out of the row
      std::size_t at = 0;
      page.push_back(detail::decode_as<Row, Source>(row, at));
    }
    ++pages_;
    done_ = r.rows.size() < n_;  // a short page is the last: no empty query after it
    if (page.empty()) return std::nullopt;
    return page;
  }
  // Pages run so far.
  std::uint64_t pages() const noexcept { return pages_; }

  // A single-pass input iterator over pages: `for (std::vector<user>& page : q.batches(db, 1000))`.
  using iterator = detail::pull_iterator<batch_range, std::vector<Row>>;
  // begin: runs the first page. Call once.
  iterator begin() { return iterator(this); }
  std::default_sentinel_t end() const noexcept { return {}; }

 private:
  friend iterator;
  db::database* db_;
  std::shared_ptr<const detail::keyset_plan> plan_;
  std::size_t n_;
  std::optional<fibersql::value> last_;  // the key of the last row handed over
  std::optional<std::vector<Row>> current_;
  std::uint64_t pages_ = 0;
  bool done_ = false;
};

}  // namespace fibersql::orm
FIBERSQL_PUBLIC_END
