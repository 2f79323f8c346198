// The default source: one new connection per fiber, from a URL, closed when given back. Which
// backend opens it is the URL scheme registry's business (url_schemes.hpp): db names none.
#include <fibersql/db/url_source.hpp>

#include <fibersql/db/url_schemes.hpp>

namespace fibersql::db {

url_source::url_source(std::string_view url) : opener_(make_url_opener(url)) {}

url_source::~url_source() = default;

std::unique_ptr<lease> url_source::acquire() {
  return std::make_unique<owned_lease>(opener_->open());
}

std::string url_source::describe() const {
  return opener_->describe();
}

}  // namespace fibersql::db
