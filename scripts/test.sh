#!/usr/bin/env bash
# The whole test suite, as CI runs it: install packages, build release and ASan+UBSan,
# run every ctest label in both. The MariaDB test server is a CTest fixture
# (scripts/mariadb-server.sh); set FIBERSQL_TEST_MYSQL_URL to use another server instead.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
export FIBERSQL_TEST_REQUIRE_MYSQL=1  # a missing server fails the MySQL tests instead of skipping them
status=0
# Unformatted files fail the run (fix: scripts/check-format.sh --fix); the tests still run.
"$root/scripts/check-format.sh" || status=1
for flavour in release asan; do
  "$root/scripts/build.sh" "$flavour"
  echo "== ctest ($flavour)"
  (cd "$root/build/$flavour" && ctest --output-on-failure --timeout 900 -j 2 "$@") || status=1
done
exit $status
