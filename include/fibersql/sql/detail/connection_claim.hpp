#pragma once
// connection_claim: the backend-neutral half of "one fiber at a time" for a network
// connection: which fiber runs an operation (so a second one gets concurrent_use_error naming
// both), and whether an interrupted or failed operation left the connection broken (never
// used again). A backend keeps one per session and adds its own checks (closed, streams);
// the MySQL session is the first user. Fiber ids and names come from the caller, so this
// layer needs no runtime.
#include <cstdint>
#include <string>
#include <string_view>

namespace fibersql::detail {

class connection_claim {
 public:
  // `backend` names the connection in messages ("MySQL"); a string literal.
  explicit connection_claim(const char* backend) noexcept : backend_(backend) {}

  // check_not_broken: Throws: interface_error (08003) "<what> on a broken <backend> connection".
  void check_not_broken(const char* what) const;
  // check_free: Throws: concurrent_use_error naming the holder, its operation and the caller
  // if another fiber holds the claim.
  void check_free(std::uint64_t me, std::string_view my_name, const char* what) const;
  // take: the caller (checked free) now holds the claim for `what`.
  void take(std::uint64_t me, std::string_view my_name, const char* what);
  // drop: nobody holds it.
  void drop() noexcept;
  // check_holder: Throws: concurrent_use_error "<thing> opened by <holder> read by <caller>"
  // unless the caller holds the claim (a stream read by another fiber).
  void check_holder(std::uint64_t me, std::string_view my_name, std::string_view thing, const char* what) const;

  bool held() const noexcept { return owner_id_ != 0; }
  // forget_holder: the holder no longer counts (a dead stream holds nothing); keeps broken().
  void forget_holder() noexcept { owner_id_ = 0; }

  // mark_broken: the protocol state is unknown; returns true the first time.
  bool mark_broken() noexcept {
    const bool first = !broken_;
    broken_ = true;
    return first;
  }
  bool broken() const noexcept { return broken_; }

 private:
  const char* backend_;
  bool broken_ = false;         // an interrupted or failed operation left the state unknown
  std::uint64_t owner_id_ = 0;  // fiber running an operation (or holding a stream); 0 if idle
  std::string owner_name_;
  const char* owner_what_ = "";  // the owner's operation, for concurrent_use_error
};

}  // namespace fibersql::detail
