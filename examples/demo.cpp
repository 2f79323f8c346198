// demo: N fibers, each with its own connection, run a mixed read/write workload (balance
// reads and transfers between accounts) through fibersql::db::database, then report throughput,
// the hub's scheduling latency and — last line — how many connections were left open.
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <fibersql/db/database.hpp>
#include <fibersql/runtime/runtime.hpp>
#include <fibersql/sql/errors.hpp>

namespace {

using namespace std::chrono_literals;
using fibersql::clock;
using fibersql::value;

struct settings {
  std::size_t fibers = 1000;
  double seconds = 5;
  std::uint64_t ops = 0;  // 0: run for `seconds`
  std::string url = "sqlite::memory:";
  std::size_t accounts = 1000;
};

constexpr const char* usage =
    "usage: demo [--fibers N] [--seconds S | --ops N] [--url URL] [--accounts N]\n"
    "  --fibers N    concurrent fibers, each with its own connection (default 1000)\n"
    "  --seconds S   run this long (default 5)\n"
    "  --ops N       stop after N operations in total instead\n"
    "  --url URL     sqlite::memory: (default), sqlite:///path.db or mysql://user:pass@host:port/db\n"
    "  --accounts N  rows in the accounts table (default 1000)\n";

[[noreturn]] void fail_usage(const std::string& why) {
  std::cerr << "demo: " << why << "\n" << usage;
  std::exit(2);
}

template <class T>
T parse_number(std::string_view flag, std::string_view text) {
  T out{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (ec != std::errc{} || end != text.data() + text.size() || out <= T{}) {
    fail_usage("option " + std::string(flag) + " needs a positive number, got '" + std::string(text) + "'");
  }
  return out;
}

settings parse(int argc, char** argv) {
  settings s;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::cout << usage;
      std::exit(0);
    }
    if (i + 1 >= argc) fail_usage("option " + std::string(flag) + " needs a value (or is unknown)");
    const std::string_view arg = argv[++i];
    if (flag == "--fibers")
      s.fibers = parse_number<std::size_t>(flag, arg);
    else if (flag == "--seconds")
      s.seconds = parse_number<double>(flag, arg);
    else if (flag == "--ops")
      s.ops = parse_number<std::uint64_t>(flag, arg);
    else if (flag == "--url")
      s.url = arg;
    else if (flag == "--accounts")
      s.accounts = parse_number<std::size_t>(flag, arg);
    else
      fail_usage("unknown option '" + std::string(flag) + "'");
  }
  if (s.accounts < 2) fail_usage("--accounts must be at least 2");
  return s;
}

struct tally {
  std::uint64_t reads = 0, writes = 0, errors = 0;
  std::uint64_t total() const { return reads + writes + errors; }
};

void create_schema(fibersql::db::database& db, const settings& s) {
  db.execute("DROP TABLE IF EXISTS demo_accounts");
  db.execute("CREATE TABLE demo_accounts (id INT PRIMARY KEY, balance BIGINT NOT NULL)");
  db.atomic([&] {
    for (std::size_t id = 0; id < s.accounts; ++id) {
      db.execute("INSERT INTO demo_accounts (id, balance) VALUES (?, 1000)", {value(std::int64_t(id))});
    }
  });
}

std::int64_t total_balance(fibersql::db::database& db) {
  return db.query("SELECT CAST(SUM(balance) AS SIGNED) FROM demo_accounts").rows.at(0).get<std::int64_t>(0);
}

// One fiber's loop: 80% point reads, 20% transfers (two UPDATEs in one atomic() block, in id
// order so that two transfers never wait for each other in opposite orders).
void worker(fibersql::db::database& db, const settings& s, tally& t, const bool& stop, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::int64_t> pick(0, static_cast<std::int64_t>(s.accounts) - 1);
  while (!stop && (s.ops == 0 || t.total() < s.ops)) {
    try {
      if (rng() % 5 != 0) {
        db.query("SELECT balance FROM demo_accounts WHERE id = ?", {value(pick(rng))});
        ++t.reads;
      } else {
        std::int64_t a = pick(rng), b = pick(rng);
        if (a == b) b = (b + 1) % static_cast<std::int64_t>(s.accounts);
        const std::int64_t amount = static_cast<std::int64_t>(rng() % 10) + 1;
        const std::int64_t from = a, to = b;
        if (a > b) std::swap(a, b);
        db.atomic([&] {
          db.execute("UPDATE demo_accounts SET balance = balance + ? WHERE id = ?",
                     {value(a == from ? -amount : amount), value(a)});
          db.execute("UPDATE demo_accounts SET balance = balance + ? WHERE id = ?",
                     {value(b == to ? amount : -amount), value(b)});
        });
        ++t.writes;
      }
    } catch (const fibersql::error& e) {
      if (++t.errors <= 5) std::cerr << "demo: " << e.what() << "\n";
    }
    fibersql::this_fiber::yield();  // SQLite never waits: let the other fibers have a turn
  }
}

double ms(clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

int run_demo(const settings& s) {
  std::optional<fibersql::db::database> db;
  try {
    db.emplace(s.url);
  } catch (const fibersql::error& e) {
    std::cerr << "demo: " << e.what() << "\n";
    return 1;
  }
  tally t;
  bool ok = true;
  try {
    fibersql::run([&] {
      auto& hub = fibersql::hub::current();
      std::uint64_t blocked = 0;
      hub.start_monitor(
          {.watchdog_threshold = 200ms, .on_blocked = [&](const fibersql::blocked_report&) { ++blocked; }});
      create_schema(*db, s);
      const std::int64_t before = total_balance(*db);
      db->close();
      std::cout << "fibersql demo: " << s.fibers << " fibers on " << db->source()->describe() << "\n";
      bool stop = false;
      std::vector<fibersql::fiber> fibers;
      fibers.reserve(s.fibers);
      const auto started = clock::now();
      for (std::size_t i = 0; i < s.fibers; ++i) {
        fibers.push_back(fibersql::spawn([&, i] { worker(*db, s, t, stop, i + 1); }, {.name = "worker"}));
      }
      std::size_t peak_open = 0;
      while (!stop) {
        fibersql::this_fiber::sleep_for(10ms);
        peak_open = std::max(peak_open, db->stats().open_connections);
        stop = s.ops != 0 ? t.total() >= s.ops : clock::now() - started >= std::chrono::duration<double>(s.seconds);
      }
      fibersql::join_all(fibers);
      const double took = std::chrono::duration<double>(clock::now() - started).count();
      const fibersql::latency_stats lat = hub.latency();
      hub.stop_monitor();
      const std::int64_t after = total_balance(*db);
      db->close();
      ok = before == after;
      const auto st = db->stats();
      std::printf("ops: %llu (reads %llu, transfers %llu, errors %llu) in %.2f s = %.0f ops/s\n",
                  static_cast<unsigned long long>(t.total()), static_cast<unsigned long long>(t.reads),
                  static_cast<unsigned long long>(t.writes), static_cast<unsigned long long>(t.errors), took,
                  static_cast<double>(t.total()) / took);
      std::printf("hub latency: p50 %.3f ms, p99 %.3f ms, max %.3f ms (%zu samples, %llu blocked reports)\n",
                  ms(lat.p50), ms(lat.p99), ms(lat.max), lat.samples, static_cast<unsigned long long>(blocked));
      std::printf("connections: peak %zu open, %llu opened, %llu closed, %llu abandoned transactions\n", peak_open,
                  static_cast<unsigned long long>(st.opened), static_cast<unsigned long long>(st.closed),
                  static_cast<unsigned long long>(st.abandoned_total));
      std::printf("balance check: %s (total %lld before, %lld after)\n", ok ? "ok" : "FAILED",
                  static_cast<long long>(before), static_cast<long long>(after));
    });
  } catch (const std::exception& e) {
    std::cerr << "demo: " << e.what() << "\n";
    ok = false;
  }
  // Every fiber has ended: their hooks ran. This is the number the demo exists to show.
  const std::size_t open = db->stats().open_connections;
  std::printf("open connections after run: %zu\n", open);
  std::fflush(stdout);
  return ok && open == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const settings s = parse(argc, argv);
  return run_demo(s);
}
