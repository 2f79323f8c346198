#pragma once
// What the cluster tests need from the `galera` and `replication` CTest fixtures: node URLs,
// SIGKILL of a node by pid, and the scripts' heal/restart verbs.
#include <string>

namespace fibersql::testing {

// URL of Galera node n (1..3) as the unprivileged test user; empty without the fixture.
std::string galera_url(int node);
// URLs of the replication pair: the primary and its read-only replica, as the test user or
// as an account with all privileges (STOP SLAVE, CHANGE MASTER).
std::string primary_url();
std::string replica_url();
std::string primary_admin_url();
std::string replica_admin_url();

// kill_galera_node: SIGKILL node n now (a crash: no clean leave from the group). Returns at
// once; the process is gone when the call returns or soon after. Safe to call from a fiber.
void kill_galera_node(int node);
// galera_script: runs `scripts/galera-cluster.sh <verb> <dir> [node]` and returns its exit
// status. Blocks the calling thread for as long as the script runs (a restart takes seconds):
// call it outside the hub, e.g. in SetUp/TearDown.
int galera_script(const std::string& verb, int node = 0);
// replication_script: the same for scripts/replication-pair.sh (kill|restart primary|replica).
int replication_script(const std::string& verb, const std::string& role);

}  // namespace fibersql::testing

// Skips (or, with FIBERSQL_TEST_REQUIRE_MYSQL set, fails) a test without the galera fixture.
#define FIBERSQL_REQUIRE_GALERA()                                              \
  do {                                                                         \
    if (::fibersql::testing::galera_url(1).empty()) {                          \
      if (std::getenv("FIBERSQL_TEST_REQUIRE_MYSQL") != nullptr)               \
        FAIL() << "no Galera cluster, and FIBERSQL_TEST_REQUIRE_MYSQL is set"; \
      GTEST_SKIP() << "no Galera cluster (run ctest -L cluster)";              \
    }                                                                          \
  } while (0)

#define FIBERSQL_REQUIRE_REPLICATION()                                           \
  do {                                                                           \
    if (::fibersql::testing::primary_url().empty()) {                            \
      if (std::getenv("FIBERSQL_TEST_REQUIRE_MYSQL") != nullptr)                 \
        FAIL() << "no replication pair, and FIBERSQL_TEST_REQUIRE_MYSQL is set"; \
      GTEST_SKIP() << "no replication pair (run ctest -L cluster)";              \
    }                                                                            \
  } while (0)
