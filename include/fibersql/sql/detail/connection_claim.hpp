#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// The rules every backend's connection keeps, whatever its protocol: one fiber at a time
// (a second one gets concurrent_use_error naming both), a row stream keeps the connection
// for the fiber that opened it, and a connection whose operation was interrupted or failed
// mid-exchange is broken for good. Backend-neutral: the caller passes the fiber's identity
// (this layer does not link the runtime) and does its own IO.
#include <cstdint>
#include <exception>
#include <string>
#include <utility>

#include <fibersql/sql/errors.hpp>

namespace fibersql::detail {

// The fiber asking for a connection: this_fiber::id() (0 outside any fiber) and name().
struct claimant {
  std::uint64_t fiber_id = 0;
  const std::string& fiber_name;
};

class connection_claim {
 public:
  // `backend` names the connection in messages: "MySQL" gives "a closed MySQL connection".
  explicit connection_claim(std::string backend) : backend_(std::move(backend)) {}

  // acquire: marks the connection busy for `who` running `what` (an operation's name, e.g.
  // "query"; it must outlive the claim). `open`: the backend still has its handle.
  // Throws interface_error (08003) if broken or closed; concurrent_use_error naming both
  // fibers while another fiber's operation or stream holds the connection, or while one of
  // the caller's own runs (a re-entrant call, e.g. from a busy handler, would interleave two
  // exchanges), and concurrent_use_error while the caller's own row stream is open.
  void acquire(const char* what, const claimant& who, bool open);
  // release: the operation ended; a row stream keeps the claim until end_stream().
  void release() noexcept;
  // held: an operation runs or a stream holds the connection.
  bool held() const noexcept { return held_; }

  // hold_for_stream: the running operation opened a row stream, which keeps the claim
  // between fetches. end_stream: it was read to its end (the claim stays until release()).
  void hold_for_stream() noexcept { stream_open_ = true; }
  void end_stream() noexcept { stream_open_ = false; }
  // drop_stream: a stream that cannot be finished (its connection is being abandoned) gives
  // up its claim at once.
  void drop_stream() noexcept;
  bool stream_open() const noexcept { return stream_open_; }
  // check_stream_owner: throws concurrent_use_error unless `who` is the fiber that holds it.
  void check_stream_owner(const char* what, const claimant& who) const;

  // mark_broken: the protocol state is unknown; every later acquire() refuses. Returns true
  // the first time. set_broken_reason: why, for the message of those refusals.
  bool mark_broken() noexcept { return !std::exchange(broken_, true); }
  void set_broken_reason(error_reason why) noexcept { broken_reason_ = why; }
  bool broken() const noexcept { return broken_; }

 private:
  std::string backend_;
  bool held_ = false;
  bool stream_open_ = false;
  bool broken_ = false;
  error_reason broken_reason_ = error_reason::none;
  std::uint64_t owner_id_ = 0;  // the holder's fiber, for messages
  std::string owner_name_;
  const char* owner_what_ = "";
};

// run_guarded: `body()` for a connection that must never be used again once an exchange is
// cut short. A poisoning `error` (poisons_connection()) goes to `on_failed(failure, code)`
// after its handler has ended, and is then rethrown: on_failed breaks the connection and may
// wait (tell the server to stop, bounded) or adjust the error through `failure`. Any other
// exception (fiber_exit, timeout_error, bad_alloc: the protocol state is unknown) calls
// `on_interrupted()`, which breaks the connection without waiting, and is rethrown. Other
// errors pass untouched. Never waits inside a catch block: the C++ runtime keeps one stack
// of caught exceptions per thread, shared by every fiber of the thread, so another fiber's
// catch ending during the wait would free or replace this one (seen under ASan).
template <class Body, class OnFailed, class OnInterrupted>
decltype(auto) run_guarded(Body&& body, OnFailed&& on_failed, OnInterrupted&& on_interrupted) {
  std::exception_ptr failure;
  unsigned code = 0;
  try {
    return body();
  } catch (const error& e) {
    if (!e.poisons_connection()) throw;
    failure = std::current_exception();
    code = e.code();
  } catch (...) {
    on_interrupted();
    throw;
  }
  on_failed(failure, code);
  std::rethrow_exception(failure);
}

}  // namespace fibersql::detail
FIBERSQL_PUBLIC_END
