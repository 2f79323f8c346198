#!/usr/bin/env bash
# A throwaway GTID primary + read-only replica on loopback for the `cluster` tests:
#   scripts/replication-pair.sh start <dir>        install one datadir, copy it, start the primary
#                                                  (binlog, server_id 1) and the replica (server_id 2,
#                                                  read_only, MASTER_USE_GTID=slave_pos); user
#                                                  `fibersql` (no admin rights, so read_only binds it),
#                                                  database `fibersql_test`; URLs in
#                                                  <dir>/{primary,replica}/url, and an admin URL
#                                                  (all privileges, for STOP SLAVE and the like) in
#                                                  <dir>/{primary,replica}/admin_url
#   scripts/replication-pair.sh stop <dir>         stop both by pid and remove <dir>
#   scripts/replication-pair.sh kill <dir> primary|replica      SIGKILL that server
#   scripts/replication-pair.sh restart <dir> primary|replica   start it again (same port) and
#                                                  wait until it answers (the replica reconnects
#                                                  and catches up from its GTID position)
# Runs as root with --user=root, setsid and redirected output, pid files outside the datadirs
# (as scripts/galera-cluster.sh).
set -euo pipefail
# shellcheck source=scripts/lib/mariadb-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/mariadb-common.sh"

cmd=${1:-}
dir=${2:-}
if [[ -z "$cmd" || -z "$dir" ]]; then
  echo "usage: $0 start|stop|kill|restart <dir> [primary|replica]" >&2
  exit 2
fi
dir=$(realpath -m "$dir")
admin_password=fibersql-admin-pw
repl_password=fibersql-repl-pw

role_sql() { mariadb --no-defaults -S "$dir/$1/sock" -uroot -N -B -e "$2"; }
role_pid() { cat "$dir/$1/pid" 2>/dev/null || true; }

check_role() {
  [[ "$1" == primary || "$1" == replica ]] || { echo "$0: expected primary or replica, got '$1'" >&2; exit 2; }
}

launch() {  # launch ROLE: starts that server detached, with the arguments in ROLE/args
  local role=$1 d="$dir/$1"
  local -a args
  mapfile -t args <"$d/args"
  rm -f "$d/pid"
  setsid mariadbd "${args[@]}" </dev/null >>"$d/stdout.log" 2>&1 &
  echo $! >"$d/launch_pid"
  wait_answers "$d/sock" "$(cat "$d/launch_pid")" 60 "$d/error.log" "the $role"
}

write_args() {  # write_args ROLE PORT SERVER_ID [extra...]
  local role=$1 port=$2 id=$3 d="$dir/$1"
  shift 3
  {
    printf '%s\n' --no-defaults "--datadir=$d/data" --user=root "--port=$port" --bind-address=127.0.0.1 \
      "--socket=$d/sock" "--pid-file=$d/pid" "--log-error=$d/error.log" --skip-name-resolve \
      --max-connections=600 --innodb-buffer-pool-size=32M --innodb-log-file-size=16M \
      "--server-id=$id" --log-bin=mariadb-bin --binlog-format=ROW --gtid-strict-mode=ON
    if (($#)); then printf '%s\n' "$@"; fi
  } >"$d/args"
}

stop_role() {
  local p
  p=$(role_pid "$1")
  [[ -z "$p" ]] && p=$(cat "$dir/$1/launch_pid" 2>/dev/null || true)
  stop_pid "$p"
  rm -f "$dir/$1/pid"
}

start_pair() {
  stop_role replica 2>/dev/null || true
  stop_role primary 2>/dev/null || true
  rm -rf "$dir"
  mkdir -p "$dir/primary" "$dir/replica"
  read -r pport rport <<<"$(free_ports 2)"
  install_datadir "$dir/primary/data" "$dir/install.log"
  # The same fresh datadir on both: what the primary does from here on is in its binlog, so the
  # replica replays it from the start (users included) and needs no dump.
  cp -a "$dir/primary/data" "$dir/replica/data"
  write_args primary "$pport" 1
  # read_only binds every user without READ ONLY ADMIN (the test user): writes get 1290.
  write_args replica "$rport" 2 --read-only=ON --log-slave-updates=ON --relay-log=relay-bin
  launch primary
  launch replica
  role_sql primary "
CREATE USER 'repl'@'127.0.0.1' IDENTIFIED BY '$repl_password';
GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1';
CREATE USER 'fibersql_admin'@'127.0.0.1' IDENTIFIED BY '$admin_password';
GRANT ALL ON *.* TO 'fibersql_admin'@'127.0.0.1' WITH GRANT OPTION;
$(test_user_sql)"
  role_sql replica "
CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$pport, MASTER_USER='repl',
  MASTER_PASSWORD='$repl_password', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1;
START SLAVE;"
  # Caught up when the replica has applied everything the primary wrote so far.
  local gtid
  gtid=$(role_sql primary 'SELECT @@gtid_binlog_pos')
  if [[ "$(role_sql replica "SELECT MASTER_GTID_WAIT('$gtid', 30)")" != 0 ]]; then
    echo "$0: the replica did not catch up with $gtid; its status:" >&2
    role_sql replica 'SHOW SLAVE STATUS\G' >&2 || true
    exit 1
  fi
  for role in primary replica; do
    local port
    [[ $role == primary ]] && port=$pport || port=$rport
    test_url "$port" >"$dir/$role/url"
    echo "mysql://fibersql_admin:$admin_password@127.0.0.1:$port/fibersql_test" >"$dir/$role/admin_url"
  done
  echo "replication pair: primary $(cat "$dir/primary/url"), replica $(cat "$dir/replica/url") at $gtid"
}

case "$cmd" in
  start) start_pair ;;
  stop)
    stop_role replica
    stop_role primary
    rm -rf "$dir"
    ;;
  kill)
    role=${3:-}
    check_role "$role"
    p=$(role_pid "$role")
    [[ -n "$p" ]] && kill_pid "$p"
    rm -f "$dir/$role/pid"
    ;;
  restart)
    role=${3:-}
    check_role "$role"
    p=$(role_pid "$role")
    if ! alive "$p"; then launch "$role"; fi
    ;;
  *)
    echo "$0: unknown command '$cmd' (expected start, stop, kill or restart)" >&2
    exit 2
    ;;
esac
