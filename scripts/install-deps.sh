#!/usr/bin/env bash
# Installs the Debian packages fibersql builds, tests and benchmarks with.
# Idempotent and fast when everything is already there (no apt-get update then).
# galera-4 and rsync: the `cluster` tests start a real 3-node Galera cluster (rsync SST).
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config clang-format clang-tidy
  libmariadb-dev libev-dev libboost-context-dev libboost-fiber-dev libboost-stacktrace1.74-dev libsqlite3-dev
  libssl-dev openssl
  libgtest-dev libgmock-dev libbenchmark-dev
  mariadb-server mariadb-client galera-4 rsync
  nlohmann-json3-dev
  sysbench python3-gevent python3-pymysql python3-peewee
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  echo "installing: ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
