#pragma once
#include <fibersql/export.hpp>
FIBERSQL_PUBLIC_BEGIN
// The pool as a Database's connection source: each fiber borrows at first use and gives the
// connection back when it ends (the Database's fiber-exit hook), so peewee-style code gets
// pooling unchanged.
#include <memory>
#include <string>

#include <fibersql/db/connection_source.hpp>
#include <fibersql/pool/connection_pool.hpp>

namespace fibersql::pool {

class pool_source final : public db::connection_source {
 public:
  // pool_source: serves connections from `pool`. Throws: std::invalid_argument if null.
  explicit pool_source(std::shared_ptr<connection_pool> pool);

  // acquire: a lease on a connection borrowed from the pool; giving it back is the pool's put.
  // Throws: as connection_pool::acquire().
  std::unique_ptr<db::lease> acquire() override;
  // returns_after_each_statement: pool_options::return_after_each_statement.
  bool returns_after_each_statement() const noexcept override;
  // describe: "pool 'name' (max_open=N)".
  std::string describe() const override;

  connection_pool& pool() const noexcept { return *pool_; }

 private:
  std::shared_ptr<connection_pool> pool_;
};

}  // namespace fibersql::pool
FIBERSQL_PUBLIC_END
