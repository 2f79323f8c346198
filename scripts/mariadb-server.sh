#!/usr/bin/env bash
# A throwaway MariaDB server for the test suite (no systemd, no Docker):
#   scripts/mariadb-server.sh start <dir> [port]   install a datadir under <dir>, start mariadbd on
#                                                  <dir>/sock and 127.0.0.1:<port> (a free port if
#                                                  none is given), create user `fibersql` and database
#                                                  `fibersql_test`, write the URL to <dir>/url
#   scripts/mariadb-server.sh stop <dir>           stop that server and remove <dir>
# MARIADBD_EXTRA_ARGS (whitespace-separated mariadbd options) is appended to the server's
# command line, e.g. MARIADBD_EXTRA_ARGS=--thread-handling=pool-of-threads (bench/compare.sh).
# MARIADB_MAX_CONNECTIONS (default 1200) sets max_connections; 151 is a stock server's value
# (the README example's fixture, mariadb_stock).
# Runs as root with --user=root because the build machines have no mysql account to drop to.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
if [[ -z "$cmd" || -z "$dir" ]]; then
  echo "usage: $0 start|stop <dir> [port]" >&2
  exit 2
fi

password=fibersql-test-pw
data="$dir/data"
sock="$dir/sock"

free_port() {
  # Binding port 0 lets the kernel pick a free port; a tiny race remains until mariadbd binds it.
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

stop_server() {
  if [[ -f "$dir/pid" ]]; then
    local pid
    pid=$(cat "$dir/pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
  fi
}

case "$cmd" in
  start)
    port=${3:-$(free_port)}
    stop_server
    rm -rf "$dir"
    mkdir -p "$data"
    mariadb-install-db --no-defaults --datadir="$data" --user=root \
      --auth-root-authentication-method=normal >"$dir/install.log" 2>&1
    # max_allowed_packet is raised so that a 16 MiB BLOB fits one statement; max_connections
    # (by default) leaves room for the leak suite's 1,000 fibers holding connections at hub shutdown, plus
    # admin and KILL QUERY side sessions. back_log (the listen queue, autosized to 290 for
    # 1,200 connections) takes the leak suite's burst of 1,000 connects at once: a full queue
    # drops SYNs, and on a loaded machine the retransmits outlast connect_timeout.
    mariadbd --no-defaults --datadir="$data" --user=root --port="$port" \
      --bind-address=127.0.0.1 --socket="$sock" --pid-file="$dir/pid" --skip-name-resolve \
      --max-allowed-packet=64M --max-connections="${MARIADB_MAX_CONNECTIONS:-1200}" --back-log=1500 --innodb-buffer-pool-size=64M \
      --log-error="$dir/error.log" ${MARIADBD_EXTRA_ARGS:-} >/dev/null 2>&1 &
    server_pid=$!
    answered=0
    for _ in $(seq 1 300); do
      if mariadb --no-defaults -S "$sock" -uroot -e 'select 1' >/dev/null 2>&1; then answered=1; break; fi
      kill -0 "$server_pid" 2>/dev/null || break  # it exited (bad option, port taken): no point waiting
      sleep 0.1
    done
    if [[ $answered == 0 ]]; then
      echo "$0: mariadbd did not answer on $sock; its log:" >&2
      tail -20 "$dir/error.log" >&2
      exit 1
    fi
    mariadb --no-defaults -S "$sock" -uroot <<SQL
CREATE DATABASE IF NOT EXISTS fibersql_test CHARACTER SET utf8mb4;
CREATE USER IF NOT EXISTS 'fibersql'@'%' IDENTIFIED BY '$password';
CREATE USER IF NOT EXISTS 'fibersql'@'localhost' IDENTIFIED BY '$password';
GRANT ALL ON fibersql_test.* TO 'fibersql'@'%';
GRANT ALL ON fibersql_test.* TO 'fibersql'@'localhost';
GRANT PROCESS ON *.* TO 'fibersql'@'%';
GRANT PROCESS ON *.* TO 'fibersql'@'localhost';
FLUSH PRIVILEGES;
SQL
    echo "mysql://fibersql:$password@127.0.0.1:$port/fibersql_test" >"$dir/url"
    echo "mysql://fibersql:$password@/fibersql_test?socket=$sock" >"$dir/socket_url"
    echo "mariadb test server: $(cat "$dir/url") (pid $(cat "$dir/pid"))"
    ;;
  stop)
    stop_server
    rm -rf "$dir"
    ;;
  *)
    echo "$0: unknown command '$cmd' (expected start or stop)" >&2
    exit 2
    ;;
esac
