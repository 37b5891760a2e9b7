#!/usr/bin/env bash
# Replication benchmark, ours vs upstream in the same run: starts OUR cluster (private MariaDB,
# mogdbsetup, mogilefsd, two mogstored on 127.0.0.2 / 127.0.0.3 with two devices each) and runs
# repl_bench against it and, if it answers, against UPSTREAM's tracker, for small files and for
# large files, then prints files/s and MB/s side by side.
#
#   bench/replication/run.sh [--upstream-trackers=127.0.0.1:7101] [--upstream-db=127.0.0.1:3406]
#                            [--upstream-domain=testdom]
#
# repl_bench uploads into a mindevcount-1 class, then moves every key with `updateclass` into a
# mindevcount-2 class (the tracker queues each fid for replication) and times until every fid
# has 2 file_on rows in the tracker's DB (see bench/README.md#replication).
#
# Environment: MOG_BIN (daemons, default <repo>/build/bin), REPL_BENCH (default
# $MOG_BIN/repl_bench), RB_SMALL_FILES (2000), RB_SMALL_SIZE (4096), RB_LARGE_FILES (40),
# RB_LARGE_SIZE (26214400), RB_JOBS (replicate_jobs of OUR tracker, default 2 = the upstream
# reference cluster's), RB_CONCURRENCY (upload threads, 4), RB_ROUNDS (1: each case ours then
# upstream; more rounds alternate again), RB_SIDES (`ours upstream`), RB_EXTRA_JOBS (e.g. `8`:
# one more small-file run of ours with that many replicate jobs, reported separately), RB_KEEP=1
# keeps the work dir with the logs.
# Upstream's DB is reached as root without password (the reference cluster's setup); the
# benchmark only reads it. Every process started here is stopped on exit; every wait is bounded.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${MOG_BIN:-$REPO/build/bin}
BENCH=${REPL_BENCH:-$BIN/repl_bench}
SMALL_FILES=${RB_SMALL_FILES:-2000}
SMALL_SIZE=${RB_SMALL_SIZE:-4096}
LARGE_FILES=${RB_LARGE_FILES:-40}
LARGE_SIZE=${RB_LARGE_SIZE:-26214400}
JOBS=${RB_JOBS:-2}
CONCURRENCY=${RB_CONCURRENCY:-4}
ROUNDS=${RB_ROUNDS:-1}
SIDES=${RB_SIDES:-ours upstream}
EXTRA_JOBS=${RB_EXTRA_JOBS:-}
UP_TRACKERS=127.0.0.1:7101
UP_DB=127.0.0.1:3406
UP_DOMAIN=testdom
DOMAIN=testdom
for arg in "$@"; do
  case $arg in
    --upstream-trackers=*) UP_TRACKERS=${arg#*=} ;;
    --upstream-db=*) UP_DB=${arg#*=} ;;
    --upstream-domain=*) UP_DOMAIN=${arg#*=} ;;
    *) echo "usage: $0 [--upstream-trackers=host:port] [--upstream-db=host:port] [--upstream-domain=dom]" >&2; exit 2 ;;
  esac
done
for b in mogilefsd mogstored mogdbsetup; do
  [ -x "$BIN/$b" ] || { echo "missing $BIN/$b (set MOG_BIN)" >&2; exit 2; }
done
[ -x "$BENCH" ] || { echo "missing $BENCH (set REPL_BENCH)" >&2; exit 2; }

KEEP_WORK=${RB_KEEP:-0}
TRACKER_PID=
# shellcheck source=../lib/cluster.sh
. "$REPO/bench/lib/cluster.sh"
bench_workdir repl-bench

echo "== $(date -u '+%F %T') UTC, load average $(loadavg), binaries from $BIN (mogilefsd built $(date -u -r "$BIN/mogilefsd" '+%F %T' 2>/dev/null) UTC; work tree at $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo ?))"
start_mariadb

HTTP_PORT=$(free_port 127.0.0.2 127.0.0.3)
MGMT_PORT=$(free_port 127.0.0.2 127.0.0.3)
TRACKER_PORT=$(free_port 127.0.0.1)
TRACKER=127.0.0.1:$TRACKER_PORT
start_tracker() {  # replicate_jobs
  {
    echo "db_dsn = DBI:mysql:mogilefs;host=127.0.0.1;port=$DB_PORT"
    echo "db_user = mogile"
    echo "db_pass = mogpass"
    echo "listen = $TRACKER"
    echo "query_jobs = 10"  # as the upstream reference cluster
    echo "replicate_jobs = $1"
    echo "mogstored_stream_port = $MGMT_PORT"
    [ "$(id -u)" = 0 ] && echo "user = root"
  } >"$WORK/mogilefsd.conf"
  echo "== mogilefsd on $TRACKER (query_jobs 10, replicate_jobs $1)"
  "$BIN/mogilefsd" --config="$WORK/mogilefsd.conf" >>"$WORK/log/mogilefsd.log" 2>&1 &
  TRACKER_PID=$!
  PIDS+=($TRACKER_PID)
  wait_port 127.0.0.1 "$TRACKER_PORT" 30
}
stop_tracker() {
  local i=0
  kill "$TRACKER_PID" 2>/dev/null || true
  while kill -0 "$TRACKER_PID" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  kill -9 "$TRACKER_PID" 2>/dev/null || true
}
start_tracker "$JOBS"
for n in 2 3; do
  echo "== mogstored on 127.0.0.$n:$HTTP_PORT (side channel :$MGMT_PORT)"
  "$BIN/mogstored" --skipconfig --httplisten=127.0.0.$n:$HTTP_PORT \
    --mgmtlisten=127.0.0.$n:$MGMT_PORT --docroot="$WORK/s$n" >"$WORK/log/mogstored$n.log" 2>&1 &
  PIDS+=($!)
  wait_port 127.0.0.$n "$HTTP_PORT" 30
done

T() {  # one admin line to our tracker; anything but OK is fatal
  local reply
  reply=$(tracker_cmd 127.0.0.1 "$TRACKER_PORT" "$1")
  echo "   $1 -> $reply"
  case $reply in OK*) ;; *) echo "setup failed" >&2; exit 1 ;; esac
}
T "create_domain domain=$DOMAIN"
T "create_host host=s2&ip=127.0.0.2&port=$HTTP_PORT&status=alive"
T "create_host host=s3&ip=127.0.0.3&port=$HTTP_PORT&status=alive"
T "create_device hostname=s2&devid=1&state=alive"
T "create_device hostname=s2&devid=2&state=alive"
T "create_device hostname=s3&devid=3&state=alive"
T "create_device hostname=s3&devid=4&state=alive"
wait_writeable() {
  local i=0
  until [ "$(tracker_cmd 127.0.0.1 "$TRACKER_PORT" "get_devices " | grep -o 'observed_state=writeable' | wc -l)" -ge 4 ]; do
    i=$((i + 1))
    [ $i -le 120 ] || { echo "devices never became writeable" >&2; exit 1; }
    sleep 0.5
  done
  echo "   4 devices writeable after ~$((i / 2)) s"
}
wait_writeable

UP_OK=0
UP_HOST=${UP_TRACKERS%%,*}
if [[ " $SIDES " == *" upstream "* ]] && (exec 3<>"/dev/tcp/${UP_HOST%:*}/${UP_HOST##*:}") 2>/dev/null; then
  UP_OK=1
  echo "== upstream tracker $UP_HOST answers (DB $UP_DB, domain $UP_DOMAIN)"
  echo "   its !jobs: $(tracker_cmd "${UP_HOST%:*}" "${UP_HOST##*:}" '!jobs' | tr ';' '\n' | grep -E '^ *replicate (count|desired)' | tr '\n' ' ')"
else
  echo "== upstream tracker $UP_HOST not used: only our figures"
fi
echo "   our !jobs: $(tracker_cmd 127.0.0.1 "$TRACKER_PORT" '!jobs' | tr ';' '\n' | grep -E '^ *replicate (count|desired)' | tr '\n' ' ')"

RESULTS=$WORK/results.txt
: >"$RESULTS"
bench() {  # label tracker db_host:port domain files size
  local label=$1 tracker=$2 db=$3 dom=$4 files=$5 size=$6 out=$WORK/bench.out rc=0
  echo "-- $label: $files x $size B (load $(loadavg))"
  # Streamed (progress shows while it runs), kept in $out for the RESULT line.
  set +e
  "$BENCH" --tracker="$tracker" --domain="$dom" --db_host="${db%:*}" --db_port="${db##*:}" \
    --db_user=root --files="$files" --size="$size" --concurrency="$CONCURRENCY" \
    --key_prefix="rb/$(date +%s)-$$-$label-$size" --label="$label" 2>&1 | tee "$out" |
    sed -u 's/^/   /'
  rc=${PIPESTATUS[0]}
  set -e
  grep '^RESULT ' "$out" >>"$RESULTS" || true
  [ "$rc" = 0 ] || echo "   (repl_bench exit $rc: see above)"
}
run_case() {  # files size
  [[ " $SIDES " == *" ours "* ]] && bench ours "$TRACKER" "127.0.0.1:$DB_PORT" "$DOMAIN" "$1" "$2"
  [ $UP_OK = 1 ] && bench upstream "$UP_HOST" "$UP_DB" "$UP_DOMAIN" "$1" "$2"
  return 0
}
for ((round = 1; round <= ROUNDS; round++)); do
  echo "== round $round of $ROUNDS"
  run_case "$SMALL_FILES" "$SMALL_SIZE"
  run_case "$LARGE_FILES" "$LARGE_SIZE"
done
if [ -n "$EXTRA_JOBS" ] && [[ " $SIDES " == *" ours "* ]]; then
  stop_tracker
  start_tracker "$EXTRA_JOBS"
  wait_writeable
  bench "ours-jobs$EXTRA_JOBS" "$TRACKER" "127.0.0.1:$DB_PORT" "$DOMAIN" "$SMALL_FILES" "$SMALL_SIZE"
fi
kill -0 "$TRACKER_PID" 2>/dev/null || { echo "our mogilefsd died" >&2; tail -20 "$WORK/log/mogilefsd.log" >&2; exit 1; }

echo
echo "== replication until every fid has 2 copies: ours ($TRACKER, replicate_jobs $JOBS) vs upstream ($UP_HOST); $(date -u '+%F %T') UTC, load $(loadavg)"
awk '
  function field(line, name,   n, i, kv) {
    n = split(line, kv, " ")
    for (i = 1; i <= n; i++) if (index(kv[i], name "=") == 1) return substr(kv[i], length(name) + 2)
    return ""
  }
  {
    who = field($0, "label"); key = field($0, "files") " x " field($0, "size") " B"
    if (!(key in seen)) { seen[key] = 1; order[++n] = key }
    runs[who, key]++
    # Several rounds: keep the median-ish (last) run per side; all runs are printed above.
    fps[who, key] = field($0, "files_per_s"); mbs[who, key] = field($0, "MB_per_s")
    sec[who, key] = field($0, "seconds")
    if (who != "ours" && who != "upstream") extra[key] = extra[key] sprintf(" %s %s files/s %s MB/s;", who, field($0, "files_per_s"), field($0, "MB_per_s"))
  }
  END {
    printf "| %-20s | %10s | %8s | %8s | %10s | %8s | %8s | %7s |\n", "case", "ours s", "files/s", "MB/s", "upstr s", "files/s", "MB/s", "ratio"
    printf "|%s|%s|%s|%s|%s|%s|%s|%s|\n", "---", "---:", "---:", "---:", "---:", "---:", "---:", "---:"
    for (i = 1; i <= n; i++) {
      k = order[i]; u = fps["upstream", k]
      ratio = (u != "" && u + 0 > 0 && fps["ours", k] != "") ? sprintf("%.1fx", fps["ours", k] / u) : "-"
      printf "| %-20s | %10s | %8s | %8s | %10s | %8s | %8s | %7s |\n", k, sec["ours", k], fps["ours", k], mbs["ours", k], (u == "" ? "-" : sec["upstream", k]), (u == "" ? "-" : u), (u == "" ? "-" : mbs["upstream", k]), ratio
    }
    for (k in extra) printf "also %s:%s\n", k, extra[k]
  }' "$RESULTS"
echo "(seconds from the first updateclass to the poll that saw 2 file_on rows for every fid;"
echo " files/s = files / seconds, MB/s = 10^6 bytes copied per second; ratio = ours / upstream files/s)"
echo "tracker log lines with error/warn: $(grep -ciE 'error|warn' "$WORK/log/mogilefsd.log" || true)"
grep -iE 'error|warn' "$WORK/log/mogilefsd.log" | head -5 || true
OK_EXIT=1
