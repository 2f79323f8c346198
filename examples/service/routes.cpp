#include "routes.hpp"

#include <charconv>
#include <stdexcept>
#include <string_view>

#include <nlohmann/json.hpp>

#include <fibersql/metrics/prometheus.hpp>
#include <fibersql/sql/errors.hpp>

#include "queries.hpp"

namespace tweepee::service {

namespace http = boost::beast::http;
using json = nlohmann::json;

namespace {

// A client mistake, answered with its status and message.
class client_error : public std::runtime_error {
 public:
  client_error(http::status s, const std::string& what) : std::runtime_error(what), status(s) {}
  http::status status;
};

response make_response(const request& r, http::status s, std::string content_type, std::string body) {
  response out{s, r.version()};
  out.set(http::field::content_type, content_type);
  out.keep_alive(r.keep_alive());
  out.body() = std::move(body);
  return out;
}

response json_response(const request& r, http::status s, const json& j) {
  return make_response(r, s, "application/json", j.dump());
}

json parse_body(const request& r) {
  json j = json::parse(r.body(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object())
    throw client_error(http::status::bad_request, "the body must be a JSON object");
  return j;
}

std::string string_field(const json& j, const char* name) {
  const auto it = j.find(name);
  if (it == j.end() || !it->is_string())
    throw client_error(http::status::bad_request, std::string("field \"") + name + "\" must be a string");
  return it->get<std::string>();
}

user existing_user(fibersql::db::database& db, const std::string& name) {
  auto u = find_user(db, name);
  if (!u) throw client_error(http::status::not_found, "no user named \"" + name + "\"");
  return std::move(*u);
}

std::int64_t micros(fibersql::datetime t) {
  return t.time_since_epoch().count();
}

// limit_param: ?limit=N of the target (1..100, default 20).
std::int64_t limit_param(std::string_view query) {
  constexpr std::string_view key = "limit=";
  const auto at = query.find(key);
  if (at == std::string_view::npos) return 20;
  const std::string_view text = query.substr(at + key.size(), query.find('&', at) - at - key.size());
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end != text.data() + text.size() || n < 1 || n > 100)
    throw client_error(http::status::bad_request, "limit must be 1..100, got \"" + std::string(text) + "\"");
  return n;
}

}  // namespace

response error_response(http::status s, const std::string& why) {
  response out{s, 11};
  out.set(http::field::content_type, "application/json");
  out.keep_alive(false);
  out.body() = json{{"error", why}}.dump();
  return out;
}

response routes::handle(const request& r) {
  try {
    return dispatch(r);
  } catch (const client_error& e) {
    return json_response(r, e.status, {{"error", e.what()}});
  } catch (const std::invalid_argument& e) {  // the queries' input checks
    return json_response(r, http::status::bad_request, {{"error", e.what()}});
  } catch (const fibersql::error& e) {
    return json_response(r, http::status::internal_server_error, {{"error", e.what()}});
  }
}

response routes::dispatch(const request& r) {
  const std::string_view target = r.target();
  const std::string_view path = target.substr(0, target.find('?'));
  const bool get = r.method() == http::verb::get;
  const bool post = r.method() == http::verb::post;
  const auto only = [&](bool allowed) {
    if (!allowed) throw client_error(http::status::method_not_allowed, "method not allowed on " + std::string(path));
  };
  if (path == "/healthz") {
    only(get);
    return shutting_down_ ? make_response(r, http::status::service_unavailable, "text/plain", "shutting down\n")
                          : make_response(r, http::status::ok, "text/plain", "ok\n");
  }
  if (path == "/metrics") {
    only(get);
    return get_metrics(r);
  }
  if (path == "/users") {
    only(post);
    return create_user(r);
  }
  if (path == "/follows") {
    only(post);
    return create_follow(r);
  }
  if (path == "/tweets") {
    only(post);
    return create_tweet(r);
  }
  constexpr std::string_view users_prefix = "/users/";
  constexpr std::string_view timeline_prefix = "/timeline/";
  if (path.starts_with(users_prefix)) {
    only(get);
    return get_user(r, std::string(path.substr(users_prefix.size())));
  }
  if (path.starts_with(timeline_prefix)) {
    only(get);
    return get_timeline(r, std::string(path.substr(timeline_prefix.size())));
  }
  throw client_error(http::status::not_found, "no route for " + std::string(path));
}

response routes::create_user(const request& r) {
  const registration reg = register_user(db_, string_field(parse_body(r), "username"));
  return json_response(r, reg.created ? http::status::created : http::status::ok,
                       {{"id", reg.row.id}, {"username", reg.row.username}, {"created", reg.created}});
}

response routes::get_user(const request& r, const std::string& name) {
  const user u = existing_user(db_, name);
  return json_response(r, http::status::ok, {{"id", u.id}, {"username", u.username}, {"followers", u.followers}});
}

response routes::create_follow(const request& r) {
  const json body = parse_body(r);
  const user from = existing_user(db_, string_field(body, "from"));
  const user to = existing_user(db_, string_field(body, "to"));
  return json_response(r, http::status::ok, {{"followed", follow_user(db_, from.id, to.id)}});
}

response routes::create_tweet(const request& r) {
  const json body = parse_body(r);
  const user author = existing_user(db_, string_field(body, "username"));
  const tweet t = post(db_, author.id, string_field(body, "content"));
  return json_response(
      r, http::status::created,
      {{"id", t.id}, {"username", author.username}, {"content", t.content}, {"created_us", micros(t.created)}});
}

response routes::get_timeline(const request& r, const std::string& name) {
  const std::string_view target = r.target();
  const auto q = target.find('?');
  const std::int64_t limit = limit_param(q == std::string_view::npos ? std::string_view{} : target.substr(q + 1));
  const user reader = existing_user(db_, name);
  json tweets_json = json::array();
  for (const timeline_entry& e : timeline(db_, reader.id, limit))
    tweets_json.push_back({{"id", e.post.id},
                           {"username", e.username},
                           {"content", e.post.content},
                           {"created_us", micros(e.post.created)}});
  return json_response(r, http::status::ok, {{"username", reader.username}, {"tweets", std::move(tweets_json)}});
}

response routes::get_metrics(const request& r) {
  return make_response(r, http::status::ok, fibersql::metrics::prometheus_content_type,
                       fibersql::metrics::render_prometheus(metrics_.take()));
}

}  // namespace tweepee::service
