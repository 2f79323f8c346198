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
# shellcheck source=scripts/lib/mariadb-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/mariadb-common.sh"

cmd=${1:-}
dir=${2:-}
if [[ -z "$cmd" || -z "$dir" ]]; then
  echo "usage: $0 start|stop <dir> [port]" >&2
  exit 2
fi

data="$dir/data"
sock="$dir/sock"

stop_server() {
  if [[ -f "$dir/pid" ]]; then stop_pid "$(cat "$dir/pid")"; fi
}

# start_once PORT: a fresh datadir and a server on PORT; fails if it does not answer.
start_once() {
  local port=$1
  stop_server
  rm -rf "$dir"
  mkdir -p "$data"
  # Called in an `||` list, where set -e does not apply: every step says its own failure.
  install_datadir "$data" "$dir/install.log" || { tail -20 "$dir/install.log" >&2; return 1; }
  # max_allowed_packet is raised so that a 16 MiB BLOB fits one statement; max_connections
  # (by default) leaves room for the leak suite's 1,000 fibers holding connections at hub shutdown, plus
  # admin and KILL QUERY side sessions. back_log (the listen queue, autosized to 290 for
  # 1,200 connections) takes the leak suite's burst of 1,000 connects at once: a full queue
  # drops SYNs, and on a loaded machine the retransmits outlast connect_timeout.
  mariadbd --no-defaults --datadir="$data" --user=root --port="$port" \
    --bind-address=127.0.0.1 --socket="$sock" --pid-file="$dir/pid" --skip-name-resolve \
    --max-allowed-packet=64M --max-connections="${MARIADB_MAX_CONNECTIONS:-1200}" --back-log=1500 --innodb-buffer-pool-size=64M \
    --log-error="$dir/error.log" ${MARIADBD_EXTRA_ARGS:-} >/dev/null 2>&1 &
  # 60 s: a loaded machine (two sanitized test processes beside it) has needed more than 30.
  local pid=$!
  wait_answers "$sock" "$pid" 60 "$dir/error.log" mariadbd || { stop_pid "$pid"; return 1; }
  mariadb --no-defaults -S "$sock" -uroot <<SQL || return 1
$(test_user_sql)
GRANT PROCESS ON *.* TO 'fibersql'@'%';
GRANT PROCESS ON *.* TO 'fibersql'@'localhost';
FLUSH PRIVILEGES;
SQL
  test_url "$port" >"$dir/url"
  echo "mysql://fibersql:$test_password@/fibersql_test?socket=$sock" >"$dir/socket_url"
  echo "mariadb test server: $(cat "$dir/url") (pid $(cat "$dir/pid"))"
}

case "$cmd" in
  start)
    if [[ -n "${3:-}" ]]; then
      start_once "$3"
    else
      # A server that did not come up (its port taken after all, a stall) is tried once more
      # from scratch on a fresh port before the fixture fails.
      start_once "$(free_ports 1)" || {
        echo "$0: start failed; once more on a fresh port" >&2
        start_once "$(free_ports 1)"
      }
    fi
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
