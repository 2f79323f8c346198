#pragma once
// mmap'd fiber stacks with a guard page below each, recycled through a free list.
#include <cstddef>
#include <vector>

#include <boost/context/stack_context.hpp>

namespace fibersql::detail {

class stack_pool {
 public:
  stack_pool() = default;
  stack_pool(const stack_pool&) = delete;
  stack_pool& operator=(const stack_pool&) = delete;
  ~stack_pool();

  // allocate: a stack of at least `size` usable bytes. Throws: std::bad_alloc.
  boost::context::stack_context allocate(std::size_t size);
  void deallocate(boost::context::stack_context& stack) noexcept;
  std::size_t cached() const noexcept { return free_.size(); }

 private:
  struct mapping {
    void* base;        // lowest address: the guard page
    std::size_t size;  // bytes mapped, guard included
  };
  std::vector<mapping> free_;  // most recently freed last, reused first (its pages are warm)
};

// The StackAllocator that Boost.Context copies into each fiber.
struct pooled_stack_allocator {
  stack_pool* pool;
  std::size_t size;
  boost::context::stack_context allocate() { return pool->allocate(size); }
  void deallocate(boost::context::stack_context& stack) noexcept { pool->deallocate(stack); }
};

}  // namespace fibersql::detail
