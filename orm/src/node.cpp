// Builders of the expression tree (detail/node.hpp): out of line so that the typed surface
// instantiates no std::variant or vector code per expression.
#include <fibersql/orm/detail/node.hpp>

#include <string>

namespace fibersql::orm::detail {
namespace {
std::shared_ptr<node> make(node_kind k) {
  auto n = std::make_shared<node>();
  n->kind = k;
  return n;
}
node_ptr param_of(fibersql::value v) {
  auto n = make(node_kind::param);
  n->param = std::move(v);
  return n;
}
}  // namespace

node_ptr make_column(const column_info& c, std::string_view qualifier, const table_info* owner) {
  auto n = make(node_kind::column);
  n->column = &c;
  n->qualifier = qualifier;
  n->table.info = owner;
  if (owner && !qualifier.empty() && qualifier != owner->name) n->table.alias = qualifier;
  return n;
}
node_ptr make_model(const table_ref& t) {
  auto n = make(node_kind::model);
  n->table = t;
  return n;
}
node_ptr make_null() {
  return param_of(fibersql::null);
}
node_ptr make_param(bool v) {
  return param_of(v);
}
node_ptr make_param(std::int64_t v) {
  return param_of(v);
}
node_ptr make_param(std::uint64_t v) {
  return param_of(v);
}
node_ptr make_param(double v) {
  return param_of(v);
}
node_ptr make_param(std::string_view v) {
  return param_of(std::string(v));
}
node_ptr make_param(const fibersql::bytes& v) {
  return param_of(v);
}
node_ptr make_param(fibersql::date v) {
  return param_of(v);
}
node_ptr make_param(fibersql::datetime v) {
  return param_of(v);
}
node_ptr make_param(fibersql::time_of_day v) {
  return param_of(v);
}

node_ptr make_binary(std::string_view op, node_ptr a, node_ptr b) {
  auto n = make(node_kind::binary);
  n->op = op;
  n->args = {std::move(a), std::move(b)};
  return n;
}
node_ptr make_unary(std::string_view op, node_ptr a) {
  auto n = make(node_kind::unary);
  n->op = op;
  n->args = {std::move(a)};
  return n;
}
node_ptr make_postfix(std::string_view op, node_ptr a) {
  auto n = make(node_kind::postfix);
  n->op = op;
  n->args = {std::move(a)};
  return n;
}
node_ptr make_function(std::string_view name, std::span<const node_ptr> args, bool star) {
  auto n = make(node_kind::function);
  n->op = name;
  n->args.assign(args.begin(), args.end());
  n->star = star;
  return n;
}
node_ptr make_raw(std::string_view sql) {
  auto n = make(node_kind::raw);
  n->op = sql;
  return n;
}
node_ptr make_in_list(node_ptr lhs, std::vector<node_ptr> items, bool negated) {
  auto n = make(node_kind::in_list);
  n->args.reserve(items.size() + 1);
  n->args.push_back(std::move(lhs));
  for (auto& i : items) n->args.push_back(std::move(i));
  n->negated = negated;
  return n;
}
node_ptr make_in_query(node_ptr lhs, query_ptr q, bool negated) {
  auto n = make(node_kind::in_query);
  n->args = {std::move(lhs)};
  n->query = std::move(q);
  n->negated = negated;
  return n;
}
node_ptr make_exists(query_ptr q, bool negated) {
  auto n = make(node_kind::exists);
  n->query = std::move(q);
  n->negated = negated;
  return n;
}
node_ptr make_subquery(query_ptr q) {
  auto n = make(node_kind::subquery);
  n->query = std::move(q);
  return n;
}
node_ptr make_like(node_ptr lhs, node_ptr pattern) {
  auto n = make(node_kind::like);
  n->args = {std::move(lhs), std::move(pattern)};
  return n;
}
node_ptr make_pattern(node_ptr lhs, std::string_view s, bool lead, bool trail) {
  std::string p;
  if (lead) p += '%';
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') p += '\\';
    p += c;
  }
  if (trail) p += '%';
  auto n = make(node_kind::like);
  n->args = {std::move(lhs), param_of(std::move(p))};
  n->escaped = true;
  return n;
}
node_ptr make_between(node_ptr e, node_ptr lo, node_ptr hi) {
  auto n = make(node_kind::between);
  n->args = {std::move(e), std::move(lo), std::move(hi)};
  return n;
}
node_ptr make_excluded(const column_info& c) {
  auto n = make(node_kind::excluded);
  n->column = &c;
  return n;
}
node_ptr make_alias(node_ptr e, std::string_view name) {
  auto n = make(node_kind::alias);
  n->op = name;
  n->args = {std::move(e)};
  return n;
}
node_ptr make_concat(node_ptr a, node_ptr b) {
  auto n = make(node_kind::concat);
  n->args = {std::move(a), std::move(b)};
  return n;
}

}  // namespace fibersql::orm::detail
