#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// The one reading of a database URL's "?name=value&..." options and of its percent-escapes,
// shared by every backend's URL parser. Messages never quote a value, nor a name that does
// not look like one: either may be a piece of a password the user mistyped.
#include <functional>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>

namespace fibersql::detail {

// url_syntax_error: what is wrong with the URL, in words safe to show; the backend's parser
// catches it and adds "bad <backend> URL '<shown its own way>': ".
class url_syntax_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// percent_decode: `part` with each %XX replaced by its byte. `what` names the part for the
// message ("password", "option value"). Throws: url_syntax_error for a bad escape, or %00
// (a NUL would cut the value short inside a C client library: "app%00junk" as "app").
std::string percent_decode(std::string_view part, std::string_view what);

// for_each_url_option: calls `apply(name, value)` for each "name=value" of `query` (the text
// after the '?'), in order, both percent-decoded; empty pairs ("a=1&&b=2", a trailing '&')
// are skipped. A name may appear once, except those in `repeatable`. Throws: url_syntax_error
// for a pair without a name or without '=', a repeated name, a bad escape; and whatever
// `apply` throws (checked in order, so the first problem of the URL is the one reported).
void for_each_url_option(std::string_view query, std::initializer_list<std::string_view> repeatable,
                         const std::function<void(const std::string& name, const std::string& value)>& apply);

// shown_option_name: 'name' quoted when it looks like an option name (letters, digits, '_',
// at most 40), otherwise words that say so without quoting it.
std::string shown_option_name(std::string_view name);

}  // namespace fibersql::detail
FIBERSQL_PUBLIC_END
