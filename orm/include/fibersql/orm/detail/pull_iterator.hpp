#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// pull_iterator: the single-pass input iterator of a range that produces its elements one at
// a time (`std::optional<Value> next()`) and keeps the current one (`current_`): the rows of
// `.stream()` and the pages of `.batches()`. The range befriends it.
#include <cstddef>
#include <iterator>

namespace fibersql::orm::detail {

template <class Range, class Value>
class pull_iterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = Value;
  using difference_type = std::ptrdiff_t;
  pull_iterator() = default;
  explicit pull_iterator(Range* range) : range_(range) { ++*this; }
  Value& operator*() const { return *range_->current_; }
  Value* operator->() const { return &*range_->current_; }
  pull_iterator& operator++() {
    range_->current_ = range_->next();
    return *this;
  }
  void operator++(int) { ++*this; }
  friend bool operator==(const pull_iterator& i, std::default_sentinel_t) { return i.at_end(); }

 private:
  bool at_end() const { return !range_ || !range_->current_; }  // a member: the range's friend
  Range* range_ = nullptr;
};

}  // namespace fibersql::orm::detail
FIBERSQL_PUBLIC_END
