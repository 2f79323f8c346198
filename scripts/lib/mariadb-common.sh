# shellcheck shell=bash
# Sourced by scripts/mariadb-server.sh, galera-cluster.sh and replication-pair.sh: what their
# throwaway servers have in common (free ports, pids, a fresh datadir, waiting for an answer,
# the test user). Not run on its own. Servers run as root with --user=root: the build machines
# have no mysql account to drop to.

# The password of the `fibersql` test user on every fixture.
test_password=fibersql-test-pw

free_ports() {  # free_ports N: N distinct free loopback ports, space-separated
  # Drawn below the kernel's ephemeral range (ip_local_port_range), so that no port the kernel
  # hands out meanwhile (a test's bind to port 0, an outgoing connection's local port) can
  # take one before the server binds it. Each is bound once to prove it free; two fixtures
  # drawing at the same moment collide only if they draw the same random port.
  /usr/bin/python3 -c '
import random, socket, sys
low = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
socks = []
while len(socks) < int(sys.argv[1]):
    s = socket.socket()
    try:
        # An ephemeral range reaching down to 11000 leaves no room below it: the kernel picks.
        s.bind(("127.0.0.1", random.randrange(10000, low) if low > 11000 else 0))
        socks.append(s)
    except OSError:
        s.close()
print(" ".join(str(s.getsockname()[1]) for s in socks))' "$1"
}

alive() {  # alive PID: running, not a zombie (init may reap a killed server late)
  [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null && [[ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]]
}

stop_pid() {  # stop_pid PID: SIGTERM, up to 10 s to exit, then SIGKILL (a node waiting for SST ignores SIGTERM)
  local p=$1
  [[ -z "$p" ]] && return 0
  kill "$p" 2>/dev/null || true
  for _ in $(seq 1 100); do
    alive "$p" || break
    sleep 0.1
  done
  kill -9 "$p" 2>/dev/null || true
}

kill_pid() {  # kill_pid PID: SIGKILL (a crash) and up to 5 s for it to be gone
  local p=$1
  kill -9 "$p"
  for _ in $(seq 1 50); do
    alive "$p" || break
    sleep 0.1
  done
}

install_datadir() {  # install_datadir DATADIR LOG: a fresh system database, root by socket and password
  mariadb-install-db --no-defaults --datadir="$1" --user=root \
    --auth-root-authentication-method=normal >"$2" 2>&1
}

wait_answers() {  # wait_answers SOCK PID SECONDS LOG WHAT: until root answers on SOCK
  local sock=$1 pid=$2 limit=$3 log=$4 what=$5 i
  for ((i = 0; i < limit * 10; i++)); do
    mariadb --no-defaults -S "$sock" -uroot -e 'select 1' >/dev/null 2>&1 && return 0
    alive "$pid" || break  # it exited (bad option, port taken): no point waiting
    sleep 0.1
  done
  echo "$0: $what did not answer on $sock; its log:" >&2
  tail -20 "$log" >&2 || true
  return 1
}

test_user_sql() {  # test_user_sql: the SQL creating database fibersql_test and user fibersql
  cat <<SQL
CREATE DATABASE IF NOT EXISTS fibersql_test CHARACTER SET utf8mb4;
CREATE USER IF NOT EXISTS 'fibersql'@'%' IDENTIFIED BY '$test_password';
CREATE USER IF NOT EXISTS 'fibersql'@'localhost' IDENTIFIED BY '$test_password';
GRANT ALL ON fibersql_test.* TO 'fibersql'@'%';
GRANT ALL ON fibersql_test.* TO 'fibersql'@'localhost';
SQL
}

test_url() {  # test_url PORT: the test user's TCP URL
  echo "mysql://fibersql:$test_password@127.0.0.1:$1/fibersql_test"
}
