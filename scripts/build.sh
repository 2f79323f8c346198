#!/usr/bin/env bash
# Configures and builds one flavour: scripts/build.sh release|asan  (build dir: build/<flavour>).
set -euo pipefail
flavour=${1:-release}
root=$(cd "$(dirname "$0")/.." && pwd)
case "$flavour" in
  release) args=(-DCMAKE_BUILD_TYPE=Release) ;;
  asan) args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DFIBERSQL_SANITIZE=ON -DFIBERSQL_BUILD_BENCH=OFF) ;;
  *) echo "build.sh: unknown flavour '$flavour' (expected release or asan)" >&2; exit 2 ;;
esac
cmake -S "$root" -B "$root/build/$flavour" -G Ninja "${args[@]}" >/dev/null
cmake --build "$root/build/$flavour" -j "$(nproc)"
