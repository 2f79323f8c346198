#include <fibersql/pool/pooled_database.hpp>

#include <fibersql/db/url_source.hpp>
#include <fibersql/pool/pool_source.hpp>

namespace fibersql::pool {

db::database make_database(std::string_view url, pool_options options, db::database_options db_options) {
  auto pool = std::make_shared<connection_pool>(std::make_shared<db::url_source>(url), std::move(options));
  return make_database(std::move(pool), std::move(db_options));
}

db::database make_database(std::shared_ptr<connection_pool> pool, db::database_options db_options) {
  return db::database(std::make_shared<pool_source>(std::move(pool)), std::move(db_options));
}

connection_pool* pool_of(const db::database& db) noexcept {
  auto* source = dynamic_cast<pool_source*>(db.source().get());
  return source ? &source->pool() : nullptr;
}

}  // namespace fibersql::pool
