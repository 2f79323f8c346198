#include <fibersql/sql/detail/connection_claim.hpp>

#include <fibersql/sql/errors.hpp>

namespace fibersql::detail {
namespace {

std::string describe_fiber(std::uint64_t id, std::string_view name) {
  return "fiber " + std::to_string(id) + (name.empty() ? "" : " '" + std::string(name) + "'");
}

}  // namespace

void connection_claim::check_not_broken(const char* what) const {
  if (!broken_) return;
  throw interface_error(0, "08003",
                        std::string(what) + " on a broken " + backend_ +
                            " connection (an earlier operation was interrupted); open a new one");
}

void connection_claim::check_free(std::uint64_t me, std::string_view my_name, const char* what) const {
  if (owner_id_ == 0 || owner_id_ == me) return;
  throw concurrent_use_error(0, "HY000",
                             "concurrent use of one " + std::string(backend_) +
                                 " connection: " + describe_fiber(owner_id_, owner_name_) + " is running " +
                                 owner_what_ + "; " + describe_fiber(me, my_name) + " called " + what +
                                 " (give each fiber its own connection)");
}

void connection_claim::take(std::uint64_t me, std::string_view my_name, const char* what) {
  owner_id_ = me;
  owner_name_ = my_name;
  owner_what_ = what;
}

void connection_claim::drop() noexcept {
  owner_id_ = 0;
  owner_name_.clear();
  owner_what_ = "";
}

void connection_claim::check_holder(std::uint64_t me, std::string_view my_name, std::string_view thing,
                                    const char* what) const {
  if (owner_id_ == me) return;
  throw concurrent_use_error(0, "HY000",
                             std::string(thing) + " opened by " + describe_fiber(owner_id_, owner_name_) + " read by " +
                                 describe_fiber(me, my_name) + " (" + what + ")");
}

}  // namespace fibersql::detail
