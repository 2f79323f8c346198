#!/usr/bin/env bash
# ORM overhead (issue 15, docs/performance.md "ORM overhead"): bench/orm_overhead on
# sqlite::memory: (one fiber) and on a throwaway MariaDB (64 fibers, one hub), then peewee's
# Model query (bench/peers/gevent_peewee.py --mode model, gevent + PyMySQL) on the same table
# and server at 64 greenlets, and the ratio of the ORM's point-select qps to peewee's.
#
#   bench/orm_overhead.sh                     # ROUNDS=3 SECONDS_PER_RUN=3 BULK=100000
#   ROUNDS=1 SECONDS_PER_RUN=1 BULK=10000 bench/orm_overhead.sh   # a quick look
#
# BUILD_DIR (default build/release; orm_overhead is built there). The server comes from
# scripts/mariadb-server.sh, as bench/compare.sh's does.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build/release}
rounds=${ROUNDS:-3}
secs=${SECONDS_PER_RUN:-3}
bulk=${BULK:-100000}
fibers=${FIBERS:-64}
python=/usr/bin/python3  # Debian's interpreter sees python3-gevent/-pymysql/-peewee

cmake --build "$build" --target orm_overhead >/dev/null
bin="$build/bench/orm_overhead"

echo "== sqlite::memory: (1 fiber)"
"$bin" "sqlite::memory:" --fibers 1 --seconds "$secs" --rounds "$rounds" --bulk "$bulk"

work=$(mktemp -d /tmp/fibersql-orm-overhead.XXXXXX)
server="$work/server"
trap '"$root/scripts/mariadb-server.sh" stop "$server" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
"$root/scripts/mariadb-server.sh" start "$server" >"$work/server.log" 2>&1
url=$(cat "$server/url")

echo "== MariaDB $url ($fibers fibers, one hub)"
"$bin" "$url" --fibers "$fibers" --seconds "$secs" --rounds "$rounds" --bulk "$bulk" | tee "$work/orm.txt"

echo "== peewee Model query, gevent + PyMySQL ($fibers greenlets)"
for round in $(seq 1 "$rounds"); do
  "$python" "$root/bench/peers/gevent_peewee.py" --url "$url" --concurrency "$fibers" --seconds "$secs" \
    --mode model --quiet | grep '^result ' | tee -a "$work/peewee.txt"
done
"$python" - "$work/orm.txt" "$work/peewee.txt" <<'PY'
import re
import statistics
import sys

orm = dict(kv.split("=") for kv in open(sys.argv[1]).read().split("median point_select", 1)[1].split("\n")[0].split())
peewee = statistics.median(float(re.search(r" qps=(\d+)", l).group(1)) for l in open(sys.argv[2]))
print("median peewee_model_qps=%.0f; fibersql orm_qps/peewee=%.2f (target >= 5), orm_text_qps/peewee=%.2f"
      % (peewee, float(orm["orm_qps"]) / peewee, float(orm["orm_text_qps"]) / peewee))
PY
