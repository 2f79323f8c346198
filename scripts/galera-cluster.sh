#!/usr/bin/env bash
# A throwaway 3-node Galera cluster on loopback for the `cluster` tests (no systemd, no Docker):
#   scripts/galera-cluster.sh start <dir>      install one datadir, copy it to three nodes, bootstrap
#                                              node 1, join nodes 2 and 3 one after the other; user
#                                              `fibersql`, database `fibersql_test`; URLs in
#                                              <dir>/nodeN/url and <dir>/urls (one a line)
#   scripts/galera-cluster.sh stop <dir>       stop every node by pid and remove <dir>
#   scripts/galera-cluster.sh kill <dir> N     SIGKILL node N (a crash: no clean leave)
#   scripts/galera-cluster.sh restart <dir> N  `mariadbd --wsrep-recover`, then start node N at the
#                                              recovered position (IST rejoin) and wait until Synced
#   scripts/galera-cluster.sh heal <dir>       make the cluster whole again after a test: re-bootstrap
#                                              a survivor left without quorum, restart dead nodes
#   scripts/galera-cluster.sh status <dir>     one line a node: pid, wsrep_ready, state, cluster size
# Runs as root with --user=root (as scripts/mariadb-server.sh). The stock rsync SST script writes
# an rsyncd config without uid/gid, so root's rsync daemon serves the module as nobody, who cannot
# enter the root-owned datadir: the nodes use a copy of the script with `uid = root` as SST method
# `rsync_root` (docs/cluster.md). Servers start under setsid with output redirected, so CTest does not wait on
# an inherited pipe; pid files live outside the datadirs.
set -euo pipefail
# shellcheck source=scripts/lib/mariadb-common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/mariadb-common.sh"

cmd=${1:-}
dir=${2:-}
if [[ -z "$cmd" || -z "$dir" ]]; then
  echo "usage: $0 start|stop|kill|restart|heal|status <dir> [node]" >&2
  exit 2
fi
dir=$(realpath -m "$dir")
nodes=(1 2 3)

node_dir() { echo "$dir/node$1"; }
node_sql() {  # node_sql N SQL: runs SQL as root over node N's socket, batch output
  mariadb --no-defaults -S "$(node_dir "$1")/sock" -uroot -N -B -e "$2"
}
node_pid() { cat "$(node_dir "$1")/pid" 2>/dev/null || true; }
node_alive() { alive "$(node_pid "$1")"; }
status_var() { node_sql "$1" "SHOW GLOBAL STATUS LIKE '$2'" 2>/dev/null | cut -f2; }

make_sst_dir() {
  # A copy of the rsync SST script whose rsync daemon keeps root's uid/gid, under a method name
  # of its own (rsync_root): mariadbd puts its own bin directory first on the SST script's PATH,
  # so a copy named wsrep_sst_rsync would never be found. The script sources wsrep_sst_common
  # from its own directory, so that comes along.
  local bin="$dir/sst-bin"
  mkdir -p "$bin"
  sed 's/^use chroot = no$/use chroot = no\nuid = root\ngid = root/' /usr/bin/wsrep_sst_rsync >"$bin/wsrep_sst_rsync_root"
  grep -q '^uid = root$' "$bin/wsrep_sst_rsync_root" || { echo "$0: could not patch wsrep_sst_rsync" >&2; exit 1; }
  chmod +x "$bin/wsrep_sst_rsync_root"
  ln -sf /usr/bin/wsrep_sst_common "$bin/wsrep_sst_common"
}

write_args() {  # write_args N: the node's mariadbd command line, one argument a line
  local n=$1 d
  d=$(node_dir "$n")
  read -r port gcomm ist sst <"$d/ports"
  local addr="gcomm://$(cat "$dir/gcomm_peers")"
  # evs.* and pc.* shorten failure detection on loopback (the defaults are tuned for WANs):
  # a killed node is evicted in ~2 s instead of ~5 s.
  cat >"$d/args" <<EOF
--no-defaults
--datadir=$d/data
--user=root
--port=$port
--bind-address=127.0.0.1
--socket=$d/sock
--pid-file=$d/pid
--log-error=$d/error.log
--skip-name-resolve
--max-connections=600
--innodb-buffer-pool-size=32M
--innodb-log-file-size=16M
--binlog-format=ROW
--innodb-autoinc-lock-mode=2
--wsrep-on=ON
--wsrep-provider=/usr/lib/galera/libgalera_smm.so
--wsrep-cluster-name=fibersql_test
--wsrep-node-name=node$n
--wsrep-node-address=127.0.0.1:$gcomm
--wsrep-cluster-address=$addr
--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:$gcomm;ist.recv_addr=127.0.0.1:$ist;evs.keepalive_period=PT0.5S;evs.suspect_timeout=PT2S;evs.inactive_timeout=PT4S;evs.install_timeout=PT4S;gcache.size=64M
--wsrep-sst-method=rsync_root
--wsrep-sst-receive-address=127.0.0.1:$sst
EOF
}

launch() {  # launch N [extra args...]: starts node N in the background, detached
  local n=$1 d
  shift
  d=$(node_dir "$n")
  local -a args
  mapfile -t args <"$d/args"
  rm -f "$d/pid"
  PATH="$dir/sst-bin:$PATH" setsid mariadbd "${args[@]}" "$@" </dev/null >>"$d/stdout.log" 2>&1 &
  echo $! >"$d/launch_pid"
}

wait_synced() {  # wait_synced N SECONDS: until node N is Synced, ready and answers
  local n=$1 limit=$2 i
  for ((i = 0; i < limit * 10; i++)); do
    if [[ "$(status_var "$n" wsrep_local_state_comment)" == Synced && "$(status_var "$n" wsrep_ready)" == ON ]]; then
      return 0
    fi
    local lp
    lp=$(cat "$(node_dir "$n")/launch_pid" 2>/dev/null || true)
    if [[ -n "$lp" ]] && ! alive "$lp"; then break; fi  # mariadbd exited
    sleep 0.1
  done
  echo "$0: node $n did not reach Synced (limit ${limit}s, or mariadbd exited); its log:" >&2
  tail -25 "$(node_dir "$n")/error.log" >&2 || true
  return 1
}

stop_node() {  # stop_node N: SIGTERM, then SIGKILL (a node waiting for SST ignores SIGTERM)
  local n=$1 p
  p=$(node_pid "$n")
  [[ -z "$p" ]] && p=$(cat "$(node_dir "$n")/launch_pid" 2>/dev/null || true)
  stop_pid "$p"
  rm -f "$(node_dir "$n")/pid"
}

kill_node() {
  local n=$1 p
  p=$(node_pid "$n")
  [[ -z "$p" ]] && { echo "$0: node $n has no pid" >&2; exit 1; }
  kill_pid "$p"
  rm -f "$(node_dir "$n")/pid"
}

restart_node() {  # restart_node N: recover the last committed position, then rejoin with it
  local n=$1 d pos
  d=$(node_dir "$n")
  node_alive "$n" && return 0
  local -a args
  mapfile -t args <"$d/args"
  # --wsrep-recover reads InnoDB's last committed seqno and exits; started at that position the
  # node asks its donor for an IST (only the missing writesets) instead of a full SST.
  mariadbd "${args[@]}" --wsrep-recover --log-error="$d/recover.log" </dev/null >/dev/null 2>&1 || true
  pos=$(sed -n 's/.*WSREP: Recovered position: *\([^ ]*\).*/\1/p' "$d/recover.log" | tail -1)
  rm -f "$d/recover.log"
  if [[ -n "$pos" ]]; then launch "$n" --wsrep-start-position="$pos"; else launch "$n"; fi
  wait_synced "$n" 90
}

primary_node() {  # a running node in the Primary component, if any
  local n
  for n in "${nodes[@]}"; do
    if node_alive "$n" && [[ "$(status_var "$n" wsrep_cluster_status)" == Primary ]]; then
      echo "$n"
      return 0
    fi
  done
  return 1
}

heal() {
  local n survivor
  if ! primary_node >/dev/null; then
    # No Primary component (two of three were killed): the survivor holds the latest state,
    # so it becomes the new Primary on its own (pc.bootstrap), as an operator would do.
    survivor=""
    for n in "${nodes[@]}"; do node_alive "$n" && { survivor=$n; break; }; done
    if [[ -n "$survivor" ]]; then
      node_sql "$survivor" "SET GLOBAL wsrep_provider_options='pc.bootstrap=YES'"
      wait_synced "$survivor" 30
    else
      # Everything is down: bootstrap node 1 again from its own state.
      sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$(node_dir 1)/data/grastate.dat" 2>/dev/null || true
      launch 1 --wsrep-new-cluster
      wait_synced 1 60
    fi
  fi
  for n in "${nodes[@]}"; do node_alive "$n" || restart_node "$n"; done
  for n in "${nodes[@]}"; do wait_synced "$n" 60; done
}

start_cluster() {
  local n d
  for n in "${nodes[@]}"; do stop_node "$n" 2>/dev/null || true; done
  rm -rf "$dir"
  mkdir -p "$dir"
  make_sst_dir
  read -r -a ports <<<"$(free_ports 12)"
  local peers=""
  for n in "${nodes[@]}"; do
    d=$(node_dir "$n")
    mkdir -p "$d"
    local i=$(((n - 1) * 4))
    echo "${ports[i]} ${ports[i + 1]} ${ports[i + 2]} ${ports[i + 3]}" >"$d/ports"
    peers+="${peers:+,}127.0.0.1:${ports[i + 1]}"
  done
  echo "$peers" >"$dir/gcomm_peers"
  for n in "${nodes[@]}"; do write_args "$n"; done
  # One install, copied: a joiner still takes an SST from its donor (it has no grastate.dat),
  # but skips mariadb-install-db.
  install_datadir "$(node_dir 1)/data" "$dir/install.log"
  cp -a "$(node_dir 1)/data" "$(node_dir 2)/data"
  cp -a "$(node_dir 1)/data" "$(node_dir 3)/data"
  launch 1 --wsrep-new-cluster
  wait_synced 1 60
  node_sql 1 "
$(test_user_sql)
GRANT PROCESS ON *.* TO 'fibersql'@'%';
GRANT PROCESS ON *.* TO 'fibersql'@'localhost';"
  # Started at the same instant, one joiner is left out for ~5 s: join them one after the other.
  launch 2
  wait_synced 2 60
  launch 3
  wait_synced 3 60
  : >"$dir/urls"
  for n in "${nodes[@]}"; do
    d=$(node_dir "$n")
    read -r port _ <"$d/ports"
    test_url "$port" >"$d/url"
    cat "$d/url" >>"$dir/urls"
  done
  echo "galera cluster: size $(status_var 1 wsrep_cluster_size), nodes $(tr '\n' ' ' <"$dir/urls")"
}

case "$cmd" in
  # A start that fails (a node exits while joining: a port taken between free_ports and the
  # bind, a slow SST) is tried once more from scratch, with fresh ports, before it fails the
  # fixture. Each try is its own process, so errexit holds inside it.
  start) "$0" start-once "$dir" || { echo "$0: start failed; once more with fresh ports" >&2; "$0" start-once "$dir"; } ;;
  start-once) start_cluster ;;
  stop)
    for n in 3 2 1; do stop_node "$n"; done
    rm -rf "$dir"
    ;;
  kill) kill_node "${3:?node number}" ;;
  restart) restart_node "${3:?node number}" ;;
  heal) heal ;;
  status)
    for n in "${nodes[@]}"; do
      if node_alive "$n"; then
        echo "node$n pid=$(node_pid "$n") ready=$(status_var "$n" wsrep_ready) state=$(status_var "$n" wsrep_local_state_comment) size=$(status_var "$n" wsrep_cluster_size) status=$(status_var "$n" wsrep_cluster_status)"
      else
        echo "node$n down"
      fi
    done
    ;;
  *)
    echo "$0: unknown command '$cmd' (expected start, stop, kill, restart, heal or status)" >&2
    exit 2
    ;;
esac
