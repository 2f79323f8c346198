#!/usr/bin/python3
"""The seed stack under the same load as bench/load: gevent + PyMySQL + peewee.

N greenlets, each using peewee's per-greenlet connection (peewee keeps connection state in a
threading.local, which gevent's monkey-patching makes greenlet-local), run sysbench's point
select against sbtest1 for T seconds. Prints the same report and `result ...` line as the C++
tools. Run with Debian's interpreter: /usr/bin/python3 (python3-gevent, -pymysql, -peewee).

  gevent_peewee.py --url mysql://user:pw@host:port/db[?socket=/path] --concurrency 64 --seconds 5
                   [--mode raw|model] [--table-size 10000] [--quiet]

--mode raw (default) runs db.execute_sql(sql, (id,)) and fetches the row: the same statement
as `load --workload point_select`. --mode model runs Sbtest1.select(c).where(id == ?) through
peewee's query builder and model layer, as application code usually would.
"""
from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from urllib.parse import parse_qs, unquote, urlparse  # noqa: E402

import gevent  # noqa: E402
import gevent.event  # noqa: E402
import peewee  # noqa: E402

POINT_SELECT = "SELECT c FROM sbtest1 WHERE id=%s"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", required=True, help="mysql://user:pw@host:port/db")
    p.add_argument("--concurrency", "-c", type=int, default=8, help="greenlets (connections)")
    p.add_argument("--seconds", "-t", type=float, default=5.0, help="measured window")
    p.add_argument("--workload", "-w", default="point_select", choices=["point_select"])
    p.add_argument("--mode", default="raw", choices=["raw", "model"])
    p.add_argument("--table-size", type=int, default=10000)
    p.add_argument("--quiet", "-q", action="store_true")
    a = p.parse_args()
    if a.concurrency < 1 or a.seconds <= 0:
        p.error("--concurrency must be >= 1 and --seconds > 0")
    u = urlparse(a.url)
    if u.scheme not in ("mysql", "mariadb") or not u.path.strip("/"):
        p.error("--url must look like mysql://user:pw@host:port/db, got %r" % a.url)
    return a, u


def make_database(u):
    # thread_safe=True (the default): connection state lives in a threading.local, which the
    # monkey-patching turned into a greenlet-local, so each greenlet gets its own connection.
    # ?socket=/path (as in fibersql's URLs) connects over a unix socket instead of TCP.
    socket = parse_qs(u.query).get("socket", [None])[0]
    return peewee.MySQLDatabase(
        unquote(u.path.strip("/")), user=unquote(u.username or ""),
        password=unquote(u.password or ""), host=u.hostname or "127.0.0.1",
        port=u.port or 3306, unix_socket=socket, autocommit=True)


def percentile(sorted_values, q):
    if not sorted_values:
        return 0.0
    rank = max(1, int(q * len(sorted_values) + 0.999999))
    return sorted_values[rank - 1]


def main():
    args, url = parse_args()
    db = make_database(url)

    class Sbtest1(peewee.Model):
        k = peewee.IntegerField()
        c = peewee.CharField()
        pad = peewee.CharField()

        class Meta:
            database = db
            table_name = "sbtest1"

    state = {"go": gevent.event.Event(), "stop": False, "connected": 0, "failed": []}
    latencies = [[] for _ in range(args.concurrency)]
    errors = [0]

    def worker(index):
        rng = random.Random(index + 1)
        try:
            db.connect(reuse_if_open=True)
        except Exception as e:  # noqa: BLE001 - reported and counted
            state["failed"].append(repr(e))
            return
        state["connected"] += 1
        state["go"].wait()
        mine = latencies[index]
        clock = time.perf_counter
        n = args.table_size
        model = args.mode == "model"
        try:
            while not state["stop"]:
                t0 = clock()
                row_id = rng.randint(1, n)
                try:
                    if model:
                        rows = list(Sbtest1.select(Sbtest1.c).where(Sbtest1.id == row_id).tuples())
                    else:
                        rows = db.execute_sql(POINT_SELECT, (row_id,)).fetchall()
                except peewee.DatabaseError as e:
                    errors[0] += 1
                    if errors[0] <= 5:
                        print("gevent_peewee: %r" % e, file=sys.stderr)
                    continue
                t1 = clock()
                if state["stop"]:
                    break
                if len(rows) != 1:
                    errors[0] += 1
                    continue
                mine.append(t1 - t0)
        finally:
            db.close()

    greenlets = [gevent.spawn(worker, i) for i in range(args.concurrency)]
    while state["connected"] + len(state["failed"]) < args.concurrency:
        if not args.quiet:
            sys.stderr.write("\r  connecting %d/%d" % (state["connected"], args.concurrency))
        gevent.sleep(0.02)
    if state["failed"]:
        state["stop"] = True
        state["go"].set()
        gevent.joinall(greenlets)
        print("gevent_peewee: %d connections failed; first: %s" % (len(state["failed"]), state["failed"][0]),
              file=sys.stderr)
        return 1
    if not args.quiet:
        sys.stderr.write("\r  connected %d/%d  \n" % (args.concurrency, args.concurrency))

    def cpu_us():
        ru = resource.getrusage(resource.RUSAGE_SELF)
        return (ru.ru_utime + ru.ru_stime) * 1e6

    t0 = time.monotonic()
    cpu0 = cpu_us()
    state["go"].set()
    end = t0 + args.seconds
    last_q, last_t = 0, t0
    while time.monotonic() < end:
        gevent.sleep(min(1.0, end - time.monotonic()))
        now = time.monotonic()
        q = sum(len(x) for x in latencies)
        if not args.quiet:
            sys.stderr.write("\r  [%5.1fs] %8.0f qps  %10d statements" % (now - t0, (q - last_q) / (now - last_t), q))
        last_q, last_t = q, now
    state["stop"] = True
    elapsed = time.monotonic() - t0
    cpu = cpu_us() - cpu0
    if not args.quiet:
        sys.stderr.write("\n")
    gevent.joinall(greenlets)

    all_lat = sorted(x for per in latencies for x in per)
    queries = len(all_lat)
    qps = queries / elapsed
    p50, p99 = percentile(all_lat, 0.5) * 1e6, percentile(all_lat, 0.99) * 1e6
    mx = (all_lat[-1] * 1e6) if all_lat else 0.0
    cpu_q = cpu / queries if queries else 0.0
    tool = "gevent" if args.mode == "raw" else "gevent_model"
    print("%s: workload=%s concurrency=%d window=%.2fs" % (tool, args.workload, args.concurrency, elapsed))
    print("  qps               %.0f (%d statements, %d errors)" % (qps, queries, errors[0]))
    print("  latency us        p50 %.0f  p99 %.0f  max %.0f" % (p50, p99, mx))
    print("  client cpu        %.1f us/query (%.0f%% of one core)" % (cpu_q, cpu / (elapsed * 1e4)))
    print("result tool=%s workload=%s conc=%d hubs=1 qps=%.0f p50_us=%.0f p99_us=%.0f max_us=%.0f "
          "cpu_us_per_query=%.2f hub_p99_us=-1 errors=%d"
          % (tool, args.workload, args.concurrency, qps, p50, p99, mx, cpu_q, errors[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
