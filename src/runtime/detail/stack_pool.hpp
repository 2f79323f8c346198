#pragma once
// mmap'd fiber stacks with a guard page below each, carved from slabs and recycled.
#include <cstddef>
#include <vector>

#include <boost/context/stack_context.hpp>

namespace fibersql::detail {

// Stacks are never unmapped one by one: on these VMs each munmap pays a TLB shootdown that
// costs more than the fiber's whole life. A freed stack goes back to its size's free list
// (reused first: its pages are warm); slabs are unmapped when the hub goes away.
class stack_pool {
 public:
  stack_pool() = default;
  stack_pool(const stack_pool&) = delete;
  stack_pool& operator=(const stack_pool&) = delete;
  ~stack_pool();

  // allocate: a stack of at least `size` usable bytes. Throws: std::bad_alloc.
  boost::context::stack_context allocate(std::size_t size);
  void deallocate(boost::context::stack_context& stack) noexcept;
  // Stacks mapped and currently unused.
  std::size_t cached() const noexcept;

 private:
  struct mapping {
    void* base;
    std::size_t size;
  };
  struct size_class {
    std::size_t total;          // bytes per stack, guard included
    std::vector<char*> stacks;  // free stacks of that size, warmest last
  };
  std::vector<char*>& free_list(std::size_t total);
  void grow(std::vector<char*>& list, std::size_t total);

  std::vector<size_class> free_;  // a handful of sizes at most: a linear search wins
  std::vector<mapping> slabs_;
};

// The StackAllocator that Boost.Context copies into each fiber.
struct pooled_stack_allocator {
  stack_pool* pool;
  std::size_t size;
  boost::context::stack_context allocate() { return pool->allocate(size); }
  void deallocate(boost::context::stack_context& stack) noexcept { pool->deallocate(stack); }
};

}  // namespace fibersql::detail
