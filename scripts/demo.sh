#!/usr/bin/env bash
# The main job: install packages, build, run the demo (arguments are passed on).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh" release
exec "$root/build/release/examples/demo" "$@"
