#include "detail/stack_pool.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <new>

namespace fibersql::detail {
namespace {

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102  // Linux 6.13
#endif

// Enough to make a burst of spawns cheap without hoarding memory after the burst.
constexpr std::size_t max_cached_stacks = 4096;

std::size_t page_size() noexcept {
  static const std::size_t size = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  return size;
}

// A guard page that faults on touch. MADV_GUARD_INSTALL does it without splitting the mapping,
// so 100,000 stacks do not hit vm.max_map_count; older kernels get mprotect.
bool install_guard(void* base) noexcept {
  if (::madvise(base, page_size(), MADV_GUARD_INSTALL) == 0) return true;
  return ::mprotect(base, page_size(), PROT_NONE) == 0;
}

}  // namespace

stack_pool::~stack_pool() {
  for (auto& m : free_) ::munmap(m.base, m.size);
}

boost::context::stack_context stack_pool::allocate(std::size_t size) {
  const std::size_t page = page_size();
  const std::size_t usable = (size + page - 1) / page * page;
  const std::size_t total = usable + page;
  void* base = nullptr;
  for (auto it = free_.rbegin(); it != free_.rend(); ++it) {
    if (it->size == total) {
      base = it->base;
      free_.erase(std::next(it).base());
      break;
    }
  }
  if (base == nullptr) {
    base = ::mmap(nullptr, total, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (base == MAP_FAILED) throw std::bad_alloc();
    if (!install_guard(base)) {
      ::munmap(base, total);
      throw std::bad_alloc();
    }
  }
  boost::context::stack_context stack;
  stack.size = usable;
  stack.sp = static_cast<char*>(base) + total;
  return stack;
}

void stack_pool::deallocate(boost::context::stack_context& stack) noexcept {
  const std::size_t total = stack.size + page_size();
  void* base = static_cast<char*>(stack.sp) - total;
  if (free_.size() < max_cached_stacks) {
    try {
      free_.push_back({base, total});
      return;
    } catch (...) {
    }
  }
  ::munmap(base, total);
}

}  // namespace fibersql::detail
