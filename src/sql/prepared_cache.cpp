// The per-connection LRU of prepared statements behind connection::query_prepared().
#include "detail/prepared_cache.hpp"

namespace fibersql::detail {

statement* prepared_cache::find(std::string_view sql) {
  const auto it = by_sql_.find(sql);
  if (it == by_sql_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->stmt.get();
}

statement& prepared_cache::add(std::string_view sql, std::unique_ptr<statement> stmt) {
  erase(sql);
  lru_.push_front(entry{std::string(sql), std::move(stmt)});
  by_sql_.emplace(lru_.front().sql, lru_.begin());
  statement& out = *lru_.front().stmt;
  trim();
  return out;
}

void prepared_cache::erase(std::string_view sql) noexcept {
  const auto it = by_sql_.find(sql);
  if (it == by_sql_.end()) return;
  const auto at = it->second;
  by_sql_.erase(it);
  lru_.erase(at);
}

void prepared_cache::clear() noexcept {
  by_sql_.clear();
  lru_.clear();
}

void prepared_cache::set_capacity(std::size_t n) {
  capacity_ = n;
  trim();
}

void prepared_cache::trim() noexcept {
  while (lru_.size() > capacity_ && !lru_.empty()) {
    by_sql_.erase(lru_.back().sql);
    lru_.pop_back();
  }
}

}  // namespace fibersql::detail
