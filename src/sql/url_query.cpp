// URL options and percent-escapes: see <fibersql/sql/detail/url_query.hpp>.
#include <fibersql/sql/detail/url_query.hpp>

#include <algorithm>
#include <set>

namespace fibersql::detail {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string percent_decode(std::string_view part, std::string_view what) {
  std::string out;
  for (std::size_t i = 0; i < part.size(); ++i) {
    if (part[i] != '%') {
      out += part[i];
      continue;
    }
    const int hi = i + 2 < part.size() ? hex_digit(part[i + 1]) : -1;
    const int lo = i + 2 < part.size() ? hex_digit(part[i + 2]) : -1;
    if (hi < 0 || lo < 0) throw url_syntax_error("bad percent-escape in " + std::string(what));
    if (hi == 0 && lo == 0) throw url_syntax_error("NUL (%00) in " + std::string(what));
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

void for_each_url_option(std::string_view query, std::initializer_list<std::string_view> repeatable,
                         const std::function<void(const std::string& name, const std::string& value)>& apply) {
  std::set<std::string, std::less<>> seen;
  std::size_t i = 0;
  while (i < query.size()) {
    const auto amp = query.find('&', i);
    const std::string_view pair = query.substr(i, amp == std::string_view::npos ? amp : amp - i);
    i = amp == std::string_view::npos ? query.size() : amp + 1;
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    if (eq == 0) throw url_syntax_error("option without a name");
    if (eq == std::string_view::npos) {
      throw url_syntax_error("option " + shown_option_name(pair) + " has no '=value'");
    }
    const std::string name = percent_decode(pair.substr(0, eq), "option name");
    // "ssl=true&ssl=false" must not quietly mean whichever came last.
    const bool may_repeat = std::find(repeatable.begin(), repeatable.end(), name) != repeatable.end();
    if (!may_repeat && !seen.insert(name).second) {
      throw url_syntax_error("option " + shown_option_name(name) + " given twice");
    }
    apply(name, percent_decode(pair.substr(eq + 1), "option value"));
  }
}

std::string shown_option_name(std::string_view name) {
  const bool plain = !name.empty() && name.size() <= 40 &&
                     name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") ==
                         std::string_view::npos;
  if (!plain) return "(a name that is not an option; is there a '?' in the password or the path?)";
  std::string shown = "'";  // appended: GCC 12 warns falsely (-Wrestrict) on "'" + x + "'"
  shown += name;
  shown += '\'';
  return shown;
}

}  // namespace fibersql::detail
