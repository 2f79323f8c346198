#include <fibersql/net/errors.hpp>

#include <cerrno>

namespace fibersql::net {

resolve_error::resolve_error(int gai_code, const std::string& what)
    : net_error(EHOSTUNREACH, what), gai_code_(gai_code) {}

end_of_stream::end_of_stream(const std::string& what) : net_error(ENODATA, what) {}

}  // namespace fibersql::net
