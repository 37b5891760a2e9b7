#!/bin/sh
# scripts/run-cluster.sh as an operator uses it, in a custom directory: start -> verdict PASS;
# a plain `stop` (no MOG_CLUSTER_DIR) stops all four daemons; start again on the same
# directory -> verdict PASS; stop. Usage: run_cluster_test.sh <bin dir>
set -eu
BIN=$1
REPO=$(cd "$(dirname "$0")/../../.." && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/runcluster.XXXXXX")
export MOG_CLUSTER_STATE="$WORK/state" MOG_BIN_DIR="$BIN" MOG_SKIP_BUILD=1

free_port() {  # a port nothing listens on, on 127.0.0.1, .2 and .3
  while :; do
    p=$(( ($(od -An -N2 -tu2 /dev/urandom) % 30000) + 20000 ))
    busy=0
    for ip in 127.0.0.1 127.0.0.2 127.0.0.3; do
      bash -c "exec 3<>/dev/tcp/$ip/$p" 2>/dev/null && busy=1
    done
    [ $busy = 0 ] && echo $p && return
  done
}
export MOG_DB_PORT=$(free_port) MOG_TRACKER_PORT=$(free_port) MOG_HTTP_PORT=$(free_port) \
  MOG_SIDE_PORT=$(free_port)

fail() {
  echo "FAIL: $*"
  for f in "$WORK"/cluster/log/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -20 "$f"; }; done
  MOG_CLUSTER_DIR="$WORK/cluster" sh "$REPO/scripts/run-cluster.sh" stop >/dev/null 2>&1 || true
  exit 1
}
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT

pids_alive() {  # how many pids recorded at start are still running
  n=0
  for pid in $(cat "$WORK/pids"); do kill -0 "$pid" 2>/dev/null && n=$((n + 1)); done
  echo $n
}

for round in 1 2; do
  MOG_CLUSTER_DIR="$WORK/cluster" sh "$REPO/scripts/run-cluster.sh" >"$WORK/start$round.out" 2>&1 ||
    { cat "$WORK/start$round.out"; fail "start $round exited non-zero"; }
  grep -q '^VERDICT: PASS' "$WORK/start$round.out" ||
    { cat "$WORK/start$round.out"; fail "start $round has no PASS verdict"; }
  grep -q "MOG_CLUSTER_DIR=$WORK/cluster sh scripts/run-cluster.sh stop" "$WORK/start$round.out" ||
    fail "start $round's stop hint does not name the directory"
  cat "$WORK"/cluster/run/*.pid >"$WORK/pids"
  [ "$(wc -l <"$WORK/pids")" -eq 4 ] || fail "start $round: expected 4 pid files"
  [ "$(pids_alive)" -eq 4 ] || fail "start $round: not all 4 daemons run"
  # A plain stop, as the printed hint says when the default directory is used.
  sh "$REPO/scripts/run-cluster.sh" stop >"$WORK/stop$round.out" 2>&1 || fail "stop $round failed"
  grep -q "stopped the cluster in $WORK/cluster" "$WORK/stop$round.out" ||
    { cat "$WORK/stop$round.out"; fail "stop $round did not find the cluster"; }
  [ "$(pids_alive)" -eq 0 ] || fail "after stop $round, $(pids_alive) daemons still run"
done
sh "$REPO/scripts/run-cluster.sh" stop | grep -q "nothing was running" ||
  fail "a second stop should say nothing was running"
echo "PASS: start, stop, start again, stop"
