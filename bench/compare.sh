#!/usr/bin/env bash
# End-to-end comparison (issue 6, docs/performance.md): fibersql's load tool against a
# blocking thread-per-connection baseline, a single-thread epoll state machine over the same
# non-blocking Connector/C calls, sysbench, and the seed stack (gevent + PyMySQL + peewee),
# all against one throwaway MariaDB on sysbench's sbtest1 (10,000 rows).
#
#   bench/compare.sh                 # ROUNDS=3 SECONDS_PER_RUN=4: about 10 minutes
#   ROUNDS=1 SECONDS_PER_RUN=2 CONCURRENCY="8 64" bench/compare.sh   # a quick look
#
# Every run of a round is interleaved with the others (same concurrency, tool after tool), and
# the table shows the median over rounds, so that a noisy neighbour hits every tool alike.
# Environment: BUILD_DIR (default build/release; the three C++ targets are built there if
# missing), ROUNDS, SECONDS_PER_RUN, CONCURRENCY, KEEP_RESULTS=1 (keeps the work dir),
# THREAD_HANDLING (the server's --thread-handling: pool-of-threads, the default, or
# one-thread-per-connection). The pool is MariaDB's setting for many connections: with one
# thread per connection, 512 server threads on 2 vCPUs spend the server's share on context
# switches and preempt every client's thread alike (docs/performance.md).
# TRANSPORT: tcp (the default: 127.0.0.1) or unix (the server's socket) for every tool.
# The last line is: summary conc=64 fibersql_qps=A fibersql_2hubs_qps=B statemachine_qps=C
# threads_qps=D sysbench_qps=E gevent_qps=F  (text protocol, medians at concurrency 64).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build/release}
rounds=${ROUNDS:-3}
secs=${SECONDS_PER_RUN:-4}
concurrency=${CONCURRENCY:-"1 8 64 512"}
thread_handling=${THREAD_HANDLING:-pool-of-threads}
transport=${TRANSPORT:-tcp}
case "$transport" in
  tcp | unix) ;;
  *) echo "compare.sh: TRANSPORT='$transport' (expected tcp or unix)" >&2; exit 2 ;;
esac
case "$thread_handling" in
  pool-of-threads | one-thread-per-connection) ;;
  *) echo "compare.sh: THREAD_HANDLING='$thread_handling' (expected pool-of-threads or one-thread-per-connection)" >&2; exit 2 ;;
esac
python=/usr/bin/python3  # Debian's interpreter sees python3-gevent/-pymysql/-peewee
password=fibersql-test-pw

for tool in sysbench mariadbd mariadb-install-db "$python"; do
  command -v "$tool" >/dev/null || { echo "compare.sh: '$tool' not found (scripts/install-deps.sh)" >&2; exit 1; }
done

# --- build the C++ tools -------------------------------------------------------------------
if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" --target load threads_baseline statemachine_baseline >/dev/null
bin="$build/bench"

# --- a throwaway server (scripts/mariadb-server.sh: max_connections=1200, room for 512) -----
work=$(mktemp -d /tmp/fibersql-compare.XXXXXX)
server="$work/server"
stop_server() {
  "$root/scripts/mariadb-server.sh" stop "$server" >/dev/null 2>&1 || true
  if [[ "${KEEP_RESULTS:-0}" == 1 ]]; then echo "compare.sh: results kept in $work" >&2; else rm -rf "$work"; fi
}
trap stop_server EXIT
MARIADBD_EXTRA_ARGS="--thread-handling=$thread_handling" \
  "$root/scripts/mariadb-server.sh" start "$server" >"$work/server.log" 2>&1
url=$(cat "$server/url")
port=${url##*:}
port=${port%%/*}
if [[ "$transport" == unix ]]; then
  url=$(cat "$server/socket_url")
  sb=(--db-driver=mysql --mysql-socket="$server/sock")
else
  sb=(--db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$port")
fi
sb+=(--mysql-user=fibersql --mysql-password="$password" --mysql-db=fibersql_test --tables=1
     --table-size=10000)
sysbench oltp_point_select "${sb[@]}" prepare >"$work/prepare.log" 2>&1
echo "server: $url (max_connections=1200, thread_handling=$thread_handling), sbtest1 10,000 rows; $rounds rounds x ${secs}s per run" >&2

# --- one run -> one `result ...` line in $results, tagged with its label and round ----------
results="$work/results.txt"
: >"$results"
record() {  # record LABEL ROUND CMD...: runs one tool and keeps its result line
  local label=$1 round=$2
  shift 2
  local out
  if out=$(timeout 120 "$@" --quiet 2>"$work/last.err") && grep -q '^result ' <<<"$out"; then
    echo "label=$label round=$round $(grep '^result ' <<<"$out")" >>"$results"
  else
    echo "compare.sh: $label failed: $(tail -3 "$work/last.err")" >&2
  fi
}
record_sysbench() {  # record_sysbench LABEL ROUND CONC PS_MODE(disable|auto)
  local label=$1 round=$2 conc=$3 ps=$4 out cpu
  local TIMEFORMAT='%U %S'
  if ! { time out=$(timeout 120 sysbench oltp_point_select "${sb[@]}" --threads="$conc" \
           --time="$secs" --rand-type=uniform --percentile=99 --db-ps-mode="$ps" run 2>&1); } \
         2>"$work/time.txt"; then
    echo "compare.sh: $label failed: $(tail -3 <<<"$out")" >&2
    return 0
  fi
  cpu=$(awk '{print ($1 + $2) * 1e6}' "$work/time.txt")
  awk -v label="$label" -v round="$round" -v conc="$conc" -v cpu="$cpu" '
    /queries:/ { q = $2; gsub(/\(/, "", $3); qps = $3 }
    /99th percentile:/ { p99 = $3 * 1000 }
    /max:/ { mx = $2 * 1000 }
    END { printf "label=%s round=%s result tool=sysbench workload=point_select conc=%s hubs=1 qps=%.0f p50_us=-1 p99_us=%.0f max_us=%.0f cpu_us_per_query=%.2f hub_p99_us=-1 errors=0\n",
          label, round, conc, qps, p99, mx, (q > 0 ? cpu / q : 0) }' <<<"$out" >>"$results"
}

common=(--url "$url" --seconds "$secs")
for round in $(seq 1 "$rounds"); do
  for c in $concurrency; do
    echo "round $round/$rounds, concurrency $c" >&2
    record fibersql "$round" "$bin/load" "${common[@]}" --concurrency "$c"
    if [[ $c -ge 2 ]]; then
      record fibersql_2hubs "$round" "$bin/load" "${common[@]}" --concurrency "$c" --hubs 2
    fi
    record statemachine "$round" "$bin/statemachine_baseline" "${common[@]}" --concurrency "$c"
    record threads "$round" "$bin/threads_baseline" "${common[@]}" --concurrency "$c"
    record_sysbench sysbench "$round" "$c" disable
    record gevent "$round" "$python" "$root/bench/peers/gevent_peewee.py" "${common[@]}" --concurrency "$c"
    if [[ $c == 8 || $c == 64 ]]; then  # the prepared-statement targets
      record fibersql_ps "$round" "$bin/load" "${common[@]}" --concurrency "$c" --workload point_select_prepared
      record fibersql_2hubs_ps "$round" "$bin/load" "${common[@]}" --concurrency "$c" --hubs 2 \
        --workload point_select_prepared
      record threads_ps "$round" "$bin/threads_baseline" "${common[@]}" --concurrency "$c" \
        --workload point_select_prepared
      record_sysbench sysbench_ps "$round" "$c" auto
    fi
  done
done

# --- medians over rounds, the tables, the targets of issue 6, the summary line -------------
"$python" - "$results" "thread_handling=$thread_handling transport=$transport" <<'PY'
import re
import statistics
import sys

runs = {}  # (label, conc) -> list of dicts
for line in open(sys.argv[1]):
    f = dict(kv.split("=", 1) for kv in line.split() if "=" in kv)
    runs.setdefault((f["label"], int(f["conc"])), []).append(f)

def med(label, conc, key="qps"):
    xs = [float(r[key]) for r in runs.get((label, conc), [])]
    return statistics.median(xs) if xs else None

def cell(v, fmt="{:.0f}"):
    return "-" if v is None else fmt.format(v)

def ratio(a, b):
    return None if a is None or b is None or b == 0 else a / b

concs = sorted({c for _, c in runs})
text = ["fibersql", "fibersql_2hubs", "statemachine", "threads", "sysbench", "gevent"]
prep = ["fibersql_ps", "fibersql_2hubs_ps", "threads_ps", "sysbench_ps"]
rounds = max((len(v) for v in runs.values()), default=0)

def table(title, labels, key, fmt="{:.0f}"):
    print(f"\n{title}")
    print("conc  " + "".join(f"{l:>18}" for l in labels))
    for c in concs:
        if any((l, c) in runs for l in labels):
            print(f"{c:<6}" + "".join(f"{cell(med(l, c, key), fmt):>18}" for l in labels))

print(f"\nmedians of {rounds} round(s); text protocol unless marked _ps (prepared); server {sys.argv[2]}")
table("qps", text, "qps")
table("client CPU us per query", text, "cpu_us_per_query", "{:.1f}")
table("statement latency p99 us (sysbench: its 99th percentile)", text, "p99_us")
table("hub latency p99 us (fibersql only)", ["fibersql", "fibersql_2hubs"], "hub_p99_us")
table("prepared statements: qps", prep, "qps")
table("prepared statements: client CPU us per query", prep, "cpu_us_per_query", "{:.1f}")

print("\ntargets (issue 6)")
def check(name, value, goal, extra=""):
    if value is None:
        print(f"  {name:<52} n/a")
        return
    print(f"  {name:<52} {value:6.3f}x  (goal >= {goal}x) {'met' if value >= goal else 'MISSED'}{extra}")
for c in (8, 64, 512):
    check(f"1 hub / statemachine at {c}", ratio(med("fibersql", c), med("statemachine", c)), 0.9)
for c in (8, 64):
    for sfx, mode in (("", "text"), ("_ps", "prepared")):
        r = ratio(med("fibersql_2hubs" + sfx, c), med("sysbench" + sfx, c))
        a, b = med("fibersql_2hubs" + sfx, c, "cpu_us_per_query"), med("sysbench" + sfx, c, "cpu_us_per_query")
        cpu = "" if a is None or b is None else f"; cpu/query {a:.1f} vs {b:.1f} us ({'less' if a < b else 'NOT less'})"
        check(f"2 hubs / sysbench at {c} ({mode})", r, 1.0, cpu)
for c, goal in ((1, 2.5), (64, 5), (512, 5)):
    check(f"1 hub / gevent at {c}", ratio(med("fibersql", c), med("gevent", c)), goal)
for c in (64, 512):
    check(f"1 hub / threads at {c}", ratio(med("fibersql", c), med("threads", c)), 1.0)
h = med("fibersql", 512, "hub_p99_us")
if h is not None:
    print(f"  {'hub latency p99 at 512 (1 hub)':<52} {h / 1000:6.2f} ms (goal < 2 ms) {'met' if h < 2000 else 'MISSED'}")

s = {l: med(l, 64) for l in text}
print("summary conc=64 " + " ".join(f"{l}_qps={cell(s[l])}" for l in text))
PY
