#include "detail/stack_pool.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <new>

namespace fibersql::detail {
namespace {

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102  // Linux 6.13
#endif

// Stacks per slab: one mmap serves a burst of spawns; a slab is ~2 MiB at the default size.
constexpr std::size_t stacks_per_slab = 32;

std::size_t page_size() noexcept {
  static const std::size_t size = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  return size;
}

// A guard page that faults on touch. MADV_GUARD_INSTALL does it without splitting the mapping,
// so 100,000 stacks do not hit vm.max_map_count; older kernels get mprotect.
bool install_guard(char* page) noexcept {
  if (::madvise(page, page_size(), MADV_GUARD_INSTALL) == 0) return true;
  return ::mprotect(page, page_size(), PROT_NONE) == 0;
}

}  // namespace

stack_pool::~stack_pool() {
  for (const mapping& m : slabs_) ::munmap(m.base, m.size);
}

std::size_t stack_pool::cached() const noexcept {
  std::size_t n = 0;
  for (const size_class& c : free_) n += c.stacks.size();
  return n;
}

std::vector<char*>& stack_pool::free_list(std::size_t total) {
  for (size_class& c : free_) {
    if (c.total == total) return c.stacks;
  }
  return free_.emplace_back(size_class{total, {}}).stacks;
}

void stack_pool::grow(std::vector<char*>& list, std::size_t total) {
  const std::size_t bytes = total * stacks_per_slab;
  void* slab =
      ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
  if (slab == MAP_FAILED) throw std::bad_alloc();
  slabs_.push_back({slab, bytes});
  list.reserve(list.size() + stacks_per_slab);
  // Pushed highest first so that the lowest stack is handed out first.
  for (std::size_t i = stacks_per_slab; i-- > 0;) {
    char* base = static_cast<char*>(slab) + i * total;
    if (!install_guard(base)) throw std::bad_alloc();
    list.push_back(base);
  }
}

boost::context::stack_context stack_pool::allocate(std::size_t size) {
  const std::size_t page = page_size();
  const std::size_t usable = (size + page - 1) / page * page;
  const std::size_t total = usable + page;
  std::vector<char*>& list = free_list(total);
  if (list.empty()) grow(list, total);
  char* base = list.back();
  list.pop_back();
  boost::context::stack_context stack;
  stack.size = usable;
  stack.sp = base + total;
  return stack;
}

void stack_pool::deallocate(boost::context::stack_context& stack) noexcept {
  const std::size_t total = stack.size + page_size();
  char* base = static_cast<char*>(stack.sp) - total;
  try {
    free_list(total).push_back(base);  // capacity was reserved by grow(), so this cannot throw
  } catch (...) {
  }
}

}  // namespace fibersql::detail
