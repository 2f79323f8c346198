// tweets: the peewee-style example application on the command line. Creates a fresh schema,
// registers three users, has them follow each other and post, recomputes the follower counts
// and prints each user's timeline. `tweets [url]`: the embedded SQLite default
// (sqlite::memory:) without a URL, or any database URL (mysql://user:pass@host:port/db).
#include <exception>
#include <iostream>
#include <string>

#include <fibersql/pool/pooled_database.hpp>
#include <fibersql/runtime/runtime.hpp>

#include "queries.hpp"

namespace {

void run_app(const std::string& url) {
  auto db = fibersql::pool::make_database(url, {.max_open = 4});
  tweepee::drop_schema(db);  // the example starts from nothing on every run
  tweepee::create_schema(db);

  const auto ann = tweepee::register_user(db, "ann").row;
  const auto bob = tweepee::register_user(db, "bob").row;
  const auto cy = tweepee::register_user(db, "cy").row;
  std::cout << "registered ann bob cy; again ann: created="
            << (tweepee::register_user(db, "ann").created ? "yes" : "no") << "\n";

  tweepee::follow_user(db, ann.id, bob.id);
  tweepee::follow_user(db, ann.id, cy.id);
  tweepee::follow_user(db, bob.id, cy.id);
  std::cout << "ann follows bob again: new=" << (tweepee::follow_user(db, ann.id, bob.id) ? "yes" : "no") << "\n";

  tweepee::post(db, bob.id, "hello from bob");
  tweepee::post(db, cy.id, "cy here");
  tweepee::post(db, cy.id, "cy again");
  tweepee::post(db, ann.id, "nobody follows ann");

  tweepee::recompute_followers(db);
  for (const char* name : {"ann", "bob", "cy"}) {
    const auto u = tweepee::find_user(db, name);
    std::cout << "user " << name << " followers=" << u->followers << "\n";
  }
  for (const auto& reader : {ann, bob, cy}) {
    const auto entries = tweepee::timeline(db, reader.id);
    std::cout << "timeline of " << reader.username << " (" << entries.size() << "):\n";
    for (const auto& e : entries) std::cout << "  " << e.username << ": " << e.post.content << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 2 || (argc == 2 && (std::string(argv[1]) == "-h" || std::string(argv[1]) == "--help"))) {
    std::cerr << "usage: tweets [url]   (default sqlite::memory:; e.g. mysql://user:pass@host:3306/db)\n";
    return 2;
  }
  const std::string url = argc == 2 ? argv[1] : "sqlite::memory:";
  try {
    fibersql::run([&] { run_app(url); });
  } catch (const std::exception& e) {
    std::cerr << "tweets: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
