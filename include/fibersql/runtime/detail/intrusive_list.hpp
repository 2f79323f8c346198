#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// A FIFO linked through the elements themselves: no allocation to enter it, O(1) to leave it
// from anywhere. The hub's live fibers, wait lists, the pool's waiters and the database's
// connection holders are all this list; their elements live on fiber stacks or in objects
// whose lifetime the owner already manages.
#include <cstddef>

namespace fibersql::detail {

// The links an element embeds, one per list it can be on.
template <class T>
struct list_links {
  T* prev = nullptr;
  T* next = nullptr;
  bool linked = false;
};

// `Links` names the element's list_links member, e.g. intrusive_list<waiter, &waiter::links>.
// The list does not own its elements: an element must be unlinked before it is destroyed.
template <class T, list_links<T> T::*Links>
class intrusive_list {
 public:
  intrusive_list() = default;
  intrusive_list(const intrusive_list&) = delete;
  intrusive_list& operator=(const intrusive_list&) = delete;

  bool empty() const noexcept { return head_ == nullptr; }
  std::size_t size() const noexcept { return size_; }
  T* front() const noexcept { return head_; }
  static T* next(const T& e) noexcept { return (e.*Links).next; }
  static bool linked(const T& e) noexcept { return (e.*Links).linked; }

  void push_back(T& e) noexcept {
    list_links<T>& l = e.*Links;
    l.prev = tail_;
    l.next = nullptr;
    if (tail_)
      (tail_->*Links).next = &e;
    else
      head_ = &e;
    tail_ = &e;
    l.linked = true;
    ++size_;
  }

  // Unlinking an element that is not on the list does nothing.
  void unlink(T& e) noexcept {
    list_links<T>& l = e.*Links;
    if (!l.linked) return;
    if (l.prev)
      (l.prev->*Links).next = l.next;
    else
      head_ = l.next;
    if (l.next)
      (l.next->*Links).prev = l.prev;
    else
      tail_ = l.prev;
    l = {};
    --size_;
  }

  T* pop_front() noexcept {
    T* e = head_;
    if (e) unlink(*e);
    return e;
  }

 private:
  T* head_ = nullptr;
  T* tail_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace fibersql::detail
FIBERSQL_PUBLIC_END
