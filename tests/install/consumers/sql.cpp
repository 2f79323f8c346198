// fibersql::sql alone: values, rows and the error tree.
#include <memory>

#include <fibersql/sql/errors.hpp>
#include <fibersql/sql/row.hpp>

int main() {
  auto names = std::make_shared<const fibersql::column_names>(fibersql::column_names{"id", "name"});
  const fibersql::row r(names, {fibersql::value{std::int64_t{7}}, fibersql::value{std::string("ann")}});
  try {
    (void)r.get<int>("missing");
    return 1;
  } catch (const fibersql::interface_error&) {
  }
  return r.get<int>("id") == 7 && r.get<std::string>(1) == "ann" ? 0 : 1;
}
