// service_load: fibers as HTTP clients of the tweepee API (examples/service, or the same API
// on the seed stack, bench/peers/service_pywsgi.py). Each client fiber keeps one keep-alive
// connection and sends, until the window ends, 80% GET /timeline/<user> and 20% POST /tweets.
// Prints requests/s and latency p50/p99 of the measured window (after a warm-up):
//   result clients=64 seconds=5 requests=... rps=... p50_ms=... p99_ms=... errors=0
// --setup first registers `--users` users (each following the next 10) with 3 tweets each.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <fibersql/runtime/runtime.hpp>
#include <fibersql/runtime/this_fiber.hpp>

#include "http_client.hpp"

namespace {

using namespace std::chrono_literals;
using boost::beast::http::verb;
using fibersql::clock;
using json = nlohmann::json;
using tweepee::service::http_client;

struct settings {
  fibersql::net::endpoint target;
  std::size_t clients = 64;
  double seconds = 5;
  double warmup = 1;
  int users = 100;
  bool setup = false;
};

[[noreturn]] void usage(const std::string& why) {
  std::cerr << "service_load: " << why
            << "\nusage: service_load --target ADDR:PORT [--clients N] [--seconds S] [--warmup S] [--users N] "
               "[--setup]\n";
  std::exit(2);
}

double positive(std::string_view flag, std::string_view text) {
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || v < 0)
    usage("option " + std::string(flag) + " needs a number >= 0, got '" + std::string(text) + "'");
  return v;
}

settings parse(int argc, char** argv) {
  settings s;
  bool have_target = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--setup") {
      s.setup = true;
      continue;
    }
    if (i + 1 >= argc) usage("option " + std::string(flag) + " needs a value (or is unknown)");
    const std::string_view arg = argv[++i];
    if (flag == "--target") {
      const auto colon = arg.rfind(':');
      if (colon == std::string_view::npos) usage("--target needs ADDR:PORT");
      s.target = fibersql::net::endpoint::ip(arg.substr(0, colon),
                                             static_cast<std::uint16_t>(positive(flag, arg.substr(colon + 1))));
      have_target = true;
    } else if (flag == "--clients") {
      s.clients = static_cast<std::size_t>(positive(flag, arg));
    } else if (flag == "--seconds") {
      s.seconds = positive(flag, arg);
    } else if (flag == "--warmup") {
      s.warmup = positive(flag, arg);
    } else if (flag == "--users") {
      s.users = static_cast<int>(positive(flag, arg));
    } else {
      usage("unknown option '" + std::string(flag) + "'");
    }
  }
  if (!have_target) usage("--target is required");
  if (s.clients < 1 || s.users < 11 || s.seconds <= 0) usage("need --clients >= 1, --users >= 11, --seconds > 0");
  return s;
}

std::string user_name(int i) {
  std::string name = std::to_string(i);
  name.insert(name.begin(), 'u');  // not "u" + ...: GCC 12 warns falsely (-Wrestrict) on that
  return name;
}

void expect_ok(const tweepee::service::reply& r, std::string_view what) {
  if (r.status >= 300)
    throw std::runtime_error(std::string(what) + ": HTTP " + std::to_string(r.status) + " " + r.body);
}

void setup(const settings& s) {
  http_client c(s.target, 5s);
  const auto send = [&](verb v, std::string_view target, const json& body) {
    expect_ok(c.send(v, target, body.dump(), fibersql::deadline_after(30s)), target);
  };
  for (int i = 0; i < s.users; ++i) send(verb::post, "/users", {{"username", user_name(i)}});
  for (int i = 0; i < s.users; ++i)
    for (int k = 1; k <= 10; ++k)
      send(verb::post, "/follows", {{"from", user_name(i)}, {"to", user_name((i + k) % s.users)}});
  for (int i = 0; i < s.users; ++i)
    for (int k = 0; k < 3; ++k)
      send(verb::post, "/tweets", {{"username", user_name(i)}, {"content", "tweet " + std::to_string(k)}});
}

struct client_result {
  std::vector<std::uint32_t> micros;  // latencies inside the measured window
  std::uint64_t errors = 0;
};

void client(const settings& s, std::uint32_t seed, clock::time_point measure_from, clock::time_point until,
            client_result& out) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> pick_user(0, s.users - 1);
  std::uniform_int_distribution<int> pick_op(0, 9);
  http_client c(s.target, 10s);
  const std::string post_body_prefix = R"({"content":"load","username":")";
  while (clock::now() < until) {
    const std::string user = user_name(pick_user(rng));
    const auto start = clock::now();
    const auto r = pick_op(rng) < 2
                       ? c.send(verb::post, "/tweets", post_body_prefix + user + "\"}", fibersql::deadline_after(30s))
                       : c.send(verb::get, "/timeline/" + user, {}, fibersql::deadline_after(30s));
    const auto end = clock::now();
    if (r.status >= 300) ++out.errors;
    if (start >= measure_from && end <= until)
      out.micros.push_back(
          static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::microseconds>(end - start).count()));
    if (!r.keep_alive) c = http_client(s.target, 10s);
  }
}

double percentile_ms(const std::vector<std::uint32_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto at = static_cast<std::size_t>(p * static_cast<double>(sorted.size() - 1));
  return sorted[at] / 1000.0;
}

}  // namespace

int main(int argc, char** argv) {
  const settings s = parse(argc, argv);
  try {
    fibersql::run([&] {
      if (s.setup) setup(s);
      const auto measure_from =
          clock::now() + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(s.warmup));
      const auto until =
          measure_from + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(s.seconds));
      std::vector<client_result> results(s.clients);
      std::vector<fibersql::fiber> fibers;
      for (std::size_t i = 0; i < s.clients; ++i)
        fibers.push_back(
            fibersql::spawn([&, i] { client(s, static_cast<std::uint32_t>(i + 1), measure_from, until, results[i]); },
                            {.stack_size = 128 * 1024}));
      for (auto& f : fibers) f.join();
      std::vector<std::uint32_t> all;
      std::uint64_t errors = 0;
      for (const auto& r : results) {
        all.insert(all.end(), r.micros.begin(), r.micros.end());
        errors += r.errors;
      }
      std::sort(all.begin(), all.end());
      std::printf("result clients=%zu seconds=%g requests=%zu rps=%.0f p50_ms=%.2f p99_ms=%.2f errors=%llu\n",
                  s.clients, s.seconds, all.size(), static_cast<double>(all.size()) / s.seconds,
                  percentile_ms(all, 0.50), percentile_ms(all, 0.99), static_cast<unsigned long long>(errors));
    });
  } catch (const std::exception& e) {
    std::cerr << "service_load: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
