// connection_claim: see <fibersql/sql/detail/connection_claim.hpp>.
#include <fibersql/sql/detail/connection_claim.hpp>

namespace fibersql::detail {
namespace {

std::string describe(std::uint64_t fiber_id, const std::string& name) {
  if (fiber_id == 0) return "code outside any fiber";
  return "fiber " + std::to_string(fiber_id) + (name.empty() ? "" : " '" + name + "'");
}

}  // namespace

void connection_claim::acquire(const char* what, const claimant& who, bool open) {
  if (broken_) {
    throw interface_error(
        0, "08003",
        std::string(what) + " on a broken " + backend_ + " connection (an earlier operation " +
            (broken_reason_ == error_reason::cancelled ? "was interrupted"
                                                       : std::string("failed: ") + to_string(broken_reason_)) +
            "); open a new one",
        broken_reason_);
  }
  if (!open) throw interface_error(0, "08003", std::string(what) + " on a closed " + backend_ + " connection");
  if (held_ && (owner_id_ != who.fiber_id || !stream_open_)) {
    throw concurrent_use_error(0, "HY000",
                               "concurrent use of one " + backend_ +
                                   " connection: " + describe(owner_id_, owner_name_) + " is running " + owner_what_ +
                                   "; " + describe(who.fiber_id, who.fiber_name) + " called " + what +
                                   " (give each fiber its own connection)");
  }
  if (stream_open_) {
    throw concurrent_use_error(0, "HY000",
                               std::string(what) +
                                   " while a row stream is still open on this "
                                   "connection: read it to the end or close() it");
  }
  held_ = true;
  owner_id_ = who.fiber_id;
  owner_name_ = who.fiber_name;
  owner_what_ = what;
}

void connection_claim::release() noexcept {
  if (stream_open_) return;  // the stream keeps its claim until it ends
  held_ = false;
  owner_id_ = 0;
  owner_name_.clear();
  owner_what_ = "";
}

void connection_claim::drop_stream() noexcept {
  if (!stream_open_) return;
  stream_open_ = false;
  release();
}

void connection_claim::check_stream_owner(const char* what, const claimant& who) const {
  if (owner_id_ != who.fiber_id) {
    throw concurrent_use_error(0, "HY000",
                               "row stream opened by " + describe(owner_id_, owner_name_) + " read by " +
                                   describe(who.fiber_id, who.fiber_name) + " (" + what + ")");
  }
}

}  // namespace fibersql::detail
