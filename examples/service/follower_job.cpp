#include "follower_job.hpp"

#include <iostream>

#include <fibersql/sql/errors.hpp>

#include "queries.hpp"

namespace tweepee::service {

void follower_job::start() {
  group_.spawn([this] { loop(); });
}

void follower_job::stop() {
  stop_requested_.set();
  group_.join();
}

void follower_job::loop() {
  while (!stop_requested_.wait(period_)) {
    try {
      auto borrowed = db_.connection_scope();  // held for one run, not between runs
      recompute_followers(db_);
      ++runs_;
    } catch (const fibersql::operational_error& e) {
      // The server went away or the pool timed out: the next period tries again (the failed
      // statement is not retried, and the library dropped its connection).
      std::cerr << "follower job: " << e.what() << "\n";
    }
  }
}

}  // namespace tweepee::service
