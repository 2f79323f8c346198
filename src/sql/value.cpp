#include <fibersql/sql/value.hpp>

#include <type_traits>

namespace fibersql {

const char* type_name(const value& v) noexcept {
  return std::visit(
      [](const auto& x) -> const char* {
        using t = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<t, std::monostate>)
          return "null";
        else if constexpr (std::is_same_v<t, bool>)
          return "bool";
        else if constexpr (std::is_same_v<t, std::int64_t>)
          return "int64";
        else if constexpr (std::is_same_v<t, std::uint64_t>)
          return "uint64";
        else if constexpr (std::is_same_v<t, double>)
          return "double";
        else if constexpr (std::is_same_v<t, std::string>)
          return "string";
        else if constexpr (std::is_same_v<t, bytes>)
          return "bytes";
        else if constexpr (std::is_same_v<t, date>)
          return "date";
        else if constexpr (std::is_same_v<t, datetime>)
          return "datetime";
        else
          return "time_of_day";
      },
      v);
}

}  // namespace fibersql
