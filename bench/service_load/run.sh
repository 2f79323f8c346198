#!/usr/bin/env bash
# bench/service_load/run.sh (issue 17): the tweepee API on fibersql (examples/service, with and
# without its background job) against the same API on the seed stack (gevent's pywsgi + peewee
# + PyMySQL, bench/peers/service_pywsgi.py), one throwaway MariaDB, one load tool
# (bench/service_load: fibers as keep-alive HTTP clients, 80% timeline reads, 20% posts).
#
#   bench/service_load/run.sh                              # ROUNDS=3 SECONDS_PER_RUN=5
#   ROUNDS=1 SECONDS_PER_RUN=2 CLIENTS="64" bench/service_load/run.sh   # a quick look
#
# Each round runs every service at every client count, one after another (each service is
# started for its run and stopped with SIGTERM after it, so no idle service's job runs during
# another's measurement); the table shows medians over the rounds. Both services get the same
# pool size (MAX_OPEN, default 32). Environment: BUILD_DIR (default build/release), ROUNDS,
# SECONDS_PER_RUN, CLIENTS (default "64 512"), MAX_OPEN, KEEP_RESULTS=1.
# The summary lines: summary clients=64 fibersql_rps=A fibersql_nojob_rps=B pywsgi_rps=C (medians)
# ratio=(median over rounds of fibersql/pywsgi requests/s) job_p99_increase=(median over rounds
# of p99 with the job / p99 without it, - 1, in percent).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$root/build/release}
rounds=${ROUNDS:-3}
secs=${SECONDS_PER_RUN:-5}
clients=${CLIENTS:-"64 512"}
max_open=${MAX_OPEN:-32}
python=/usr/bin/python3  # Debian's interpreter sees python3-gevent/-pymysql/-peewee

cmake --build "$build" --target tweepee-service service_load >/dev/null  # a no-op when up to date
service_bin=$build/examples/service/tweepee-service
load_bin=$build/bench/service_load

work=$(mktemp -d /tmp/fibersql-service-load.XXXXXX)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  "$root/scripts/mariadb-server.sh" stop "$work/mariadb" >/dev/null 2>&1 || true
  [ "${KEEP_RESULTS:-0}" = 1 ] && echo "results kept in $work" || rm -rf "$work"
}
trap cleanup EXIT

"$root/scripts/mariadb-server.sh" start "$work/mariadb" >/dev/null
url=$(cat "$work/mariadb/url")
echo "mariadb: $url; $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg)"

# start_service NAME: starts it on a free port, sets server_pid and port.
start_service() {
  local out=$work/$1.out
  case "$1" in
    fibersql) "$service_bin" --url "$url" --listen 127.0.0.1:0 --max-open "$max_open" >"$out" 2>&1 & ;;
    fibersql_nojob) "$service_bin" --url "$url" --listen 127.0.0.1:0 --max-open "$max_open" --no-job >"$out" 2>&1 & ;;
    pywsgi) "$python" "$root/bench/peers/service_pywsgi.py" --url "$url" --listen 127.0.0.1:0 --max-open "$max_open" >"$out" 2>&1 & ;;
  esac
  server_pid=$!
  for _ in $(seq 100); do
    port=$(sed -n 's/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$out")
    [ -n "$port" ] && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "service $1 did not start:" >&2
  cat "$out" >&2
  exit 1
}
stop_service() {
  kill -TERM "$server_pid"
  wait "$server_pid" || { echo "service exited with $?" >&2; exit 1; }
  server_pid=""
}

# The data set: 100 users following 10 each, 3 tweets each (through the fibersql service).
start_service fibersql
"$load_bin" --target "127.0.0.1:$port" --setup --clients 1 --seconds 0.2 --warmup 0 >/dev/null
stop_service

results=$work/results
: >"$results"
for round in $(seq "$rounds"); do
  for c in $clients; do
    for svc in fibersql fibersql_nojob pywsgi; do
      start_service "$svc"
      line=$("$load_bin" --target "127.0.0.1:$port" --clients "$c" --seconds "$secs" --warmup 1)
      stop_service
      echo "round=$round service=$svc $line" | tee -a "$results"
    done
  done
done

"$python" - "$results" "$clients" <<'PY'
import statistics, sys
rows = [dict(kv.split("=", 1) for kv in line.split() if "=" in kv) for line in open(sys.argv[1])]
clients = sys.argv[2].split()
med = lambda svc, c, k: statistics.median(float(r[k]) for r in rows if r["service"] == svc and r["clients"] == c)
print("\n| clients | service | requests/s | p50 ms | p99 ms |\n|---|---|---|---|---|")
for c in clients:
    for svc in ("fibersql", "fibersql_nojob", "pywsgi"):
        print("| %s | %s | %.0f | %.2f | %.2f |" % (c, svc, med(svc, c, "rps"), med(svc, c, "p50_ms"), med(svc, c, "p99_ms")))
# Ratios per round (the runs of a round are seconds apart, so a noisy neighbour hits them alike),
# then their median.
def per_round(c, num, den, k):
    got = {}
    for r in rows:
        if r["clients"] == c:
            got.setdefault(r["round"], {})[r["service"]] = float(r[k])
    return statistics.median(v[num] / v[den] for v in got.values())
for c in clients:
    a, b, p = (med(s, c, "rps") for s in ("fibersql", "fibersql_nojob", "pywsgi"))
    ratio = per_round(c, "fibersql", "pywsgi", "rps")
    inc = (per_round(c, "fibersql", "fibersql_nojob", "p99_ms") - 1) * 100
    print("summary clients=%s fibersql_rps=%.0f fibersql_nojob_rps=%.0f pywsgi_rps=%.0f ratio=%.2f job_p99_increase=%.0f%%"
          % (c, a, b, p, ratio, inc))
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
