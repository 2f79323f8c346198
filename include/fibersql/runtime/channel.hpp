#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// A bounded, closable FIFO channel between fibers of one hub (the actor mailbox).
#include <cstddef>
#include <deque>
#include <optional>
#include <stdexcept>

#include <fibersql/runtime/clock.hpp>
#include <fibersql/runtime/detail/wait_list.hpp>

namespace fibersql {

// Sending on a closed channel.
class channel_closed : public std::runtime_error {
 public:
  channel_closed() : std::runtime_error("send on a closed channel") {}
};

template <class T>
class channel {
 public:
  // capacity: how many values may wait unread; senders block beyond it (must be >= 1).
  explicit channel(std::size_t capacity) : capacity_(capacity) {
    if (capacity == 0) throw std::invalid_argument("channel capacity must be >= 1, got 0");
  }

  // send: queues `v`, waiting while the channel is full.
  // Throws: channel_closed, fiber_exit, timeout_error, misuse_error.
  void send(T v) {
    while (!closed_ && items_.size() >= capacity_) senders_.wait("channel send");
    if (closed_) throw channel_closed();
    items_.push_back(std::move(v));
    receivers_.notify_one();
  }
  bool try_send(T v) {
    if (closed_) throw channel_closed();
    if (items_.size() >= capacity_) return false;
    items_.push_back(std::move(v));
    receivers_.notify_one();
    return true;
  }
  // receive: the oldest value; nullopt once the channel is closed and drained, or when
  // `limit` passed. Throws: fiber_exit, timeout_error, misuse_error.
  std::optional<T> receive(clock::duration limit = clock::duration::max()) {
    const deadline until = deadline_after(limit);
    while (items_.empty() && !closed_) {
      if (!receivers_.wait("channel receive", until)) return std::nullopt;
    }
    if (items_.empty()) return std::nullopt;
    T v = std::move(items_.front());
    items_.pop_front();
    senders_.notify_one();
    return v;
  }
  // close: no more sends; receivers drain what is queued, then get nullopt.
  void close() {
    closed_ = true;
    receivers_.notify_all();
    senders_.notify_all();
  }
  bool closed() const noexcept { return closed_; }
  std::size_t size() const noexcept { return items_.size(); }

 private:
  std::size_t capacity_;
  bool closed_ = false;
  std::deque<T> items_;
  detail::wait_list senders_;
  detail::wait_list receivers_;
};

}  // namespace fibersql
FIBERSQL_PUBLIC_END
