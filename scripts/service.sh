#!/usr/bin/env bash
# The example service: install packages, build, start examples/service (the tweepee HTTP API)
# on the embedded SQLite default at 127.0.0.1:8080. Arguments are passed on
# (e.g. --url mysql://user:pass@host:3306/db, --listen 0.0.0.0:8080; --help lists them).
# Try: curl -XPOST localhost:8080/users -d '{"username":"ann"}'; curl localhost:8080/metrics
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" release
exec "$root/build/release/examples/service/tweepee-service" "$@"
