#pragma once
// prepared_cache: a connection's statements by exact SQL text, least recently used first out.
#include <cstddef>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include <fibersql/sql/statement.hpp>

namespace fibersql::detail {

class prepared_cache {
 public:
  // find: the statement for sql, now the most recently used; nullptr when absent.
  statement* find(std::string_view sql);
  // add: keeps stmt for sql, evicting the least recently used beyond capacity().
  statement& add(std::string_view sql, std::unique_ptr<statement> stmt);
  void erase(std::string_view sql) noexcept;
  void clear() noexcept;
  std::size_t capacity() const noexcept { return capacity_; }
  void set_capacity(std::size_t n);

 private:
  struct entry {
    std::string sql;
    std::unique_ptr<statement> stmt;
  };
  void trim() noexcept;

  std::size_t capacity_ = 64;
  std::list<entry> lru_;                                                     // front: most recently used
  std::unordered_map<std::string_view, std::list<entry>::iterator> by_sql_;  // keys view entry::sql
};

}  // namespace fibersql::detail
