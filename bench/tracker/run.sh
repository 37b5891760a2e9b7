#!/usr/bin/env bash
# Tracker benchmark: starts OUR cluster (private MariaDB, mogdbsetup, mogilefsd, two mogstored on
# 127.0.0.2 / 127.0.0.3), runs tracker_bench against it and, in the same run, against UPSTREAM's
# tracker if it answers, then prints ours vs upstream side by side and our tracker's RSS.
#
#   bench/tracker/run.sh [--upstream-trackers=127.0.0.1:7101] [--upstream-domain=testdom]
#
# Environment: MOG_BIN (daemons, default <repo>/build/bin), TRACKER_BENCH (default
# $MOG_BIN/tracker_bench), TB_SECONDS (per phase, default 15), TB_SMALL_OPS (default 6000),
# TB_GET_OPS (get_paths phases, default 30000), TB_CONCURRENCY (workers, default 4),
# TB_LARGE_OPS (default 400), TB_BIG_UPLOAD_OPS (RSS growth run, default 10000), TB_CLASS
# (default `one`, mindevcount 1 on both sides, so that neither tracker replicates during the
# run: our tracker's replication workers were not wired yet when this was written, upstream's
# would otherwise copy every file in the background), TB_MINDEVCOUNT (ours, default 1).
# Every process it starts is stopped on exit; every wait is bounded.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${MOG_BIN:-$REPO/build/bin}
BENCH=${TRACKER_BENCH:-$BIN/tracker_bench}
SECONDS_PER_PHASE=${TB_SECONDS:-15}
SMALL_OPS=${TB_SMALL_OPS:-6000}
GET_OPS=${TB_GET_OPS:-30000}
LARGE_OPS=${TB_LARGE_OPS:-400}
BIG_UPLOAD_OPS=${TB_BIG_UPLOAD_OPS:-10000}
CONCURRENCY=${TB_CONCURRENCY:-4}
UP_TRACKERS=127.0.0.1:7101
UP_DOMAIN=testdom
DOMAIN=testdom
CLASS=${TB_CLASS:-one}
MINDEVCOUNT=${TB_MINDEVCOUNT:-1}
for arg in "$@"; do
  case $arg in
    --upstream-trackers=*) UP_TRACKERS=${arg#*=} ;;
    --upstream-domain=*) UP_DOMAIN=${arg#*=} ;;
    *) echo "usage: $0 [--upstream-trackers=host:port] [--upstream-domain=dom]" >&2; exit 2 ;;
  esac
done
for b in mogilefsd mogstored mogdbsetup; do
  [ -x "$BIN/$b" ] || { echo "missing $BIN/$b (set MOG_BIN)" >&2; exit 2; }
done
[ -x "$BENCH" ] || { echo "missing $BENCH (set TRACKER_BENCH)" >&2; exit 2; }

# shellcheck source=../lib/cluster.sh
. "$REPO/bench/lib/cluster.sh"
bench_workdir tracker-bench

echo "== $(date -u '+%F %T') UTC, load average $(loadavg), binaries from $BIN"
start_mariadb

HTTP_PORT=$(free_port 127.0.0.2 127.0.0.3)
MGMT_PORT=$(free_port 127.0.0.2 127.0.0.3)
TRACKER_PORT=$(free_port 127.0.0.1)
TRACKER=127.0.0.1:$TRACKER_PORT
{
  echo "db_dsn = DBI:mysql:mogilefs;host=127.0.0.1;port=$DB_PORT"
  echo "db_user = mogile"
  echo "db_pass = mogpass"
  echo "listen = $TRACKER"
  echo "query_jobs = 20"
  echo "replicate_jobs = 2"  # as the upstream reference cluster
  echo "mogstored_stream_port = $MGMT_PORT"
  [ "$(id -u)" = 0 ] && echo "user = root"
} >"$WORK/mogilefsd.conf"
echo "== mogilefsd on $TRACKER (query_jobs 20)"
"$BIN/mogilefsd" --config="$WORK/mogilefsd.conf" >"$WORK/log/mogilefsd.log" 2>&1 &
TRACKER_PID=$!
PIDS+=($TRACKER_PID)
wait_port 127.0.0.1 "$TRACKER_PORT" 30
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
T "create_class domain=$DOMAIN&class=$CLASS&mindevcount=$MINDEVCOUNT"
T "create_host host=s2&ip=127.0.0.2&port=$HTTP_PORT&status=alive"
T "create_host host=s3&ip=127.0.0.3&port=$HTTP_PORT&status=alive"
T "create_device hostname=s2&devid=1&state=alive"
T "create_device hostname=s2&devid=2&state=alive"
T "create_device hostname=s3&devid=3&state=alive"
T "create_device hostname=s3&devid=4&state=alive"
echo "== waiting for 4 writeable devices"
i=0
until [ "$(tracker_cmd 127.0.0.1 "$TRACKER_PORT" "get_devices " | grep -o 'observed_state=writeable' | wc -l)" -ge 4 ]; do
  i=$((i + 1))
  [ $i -le 120 ] || { echo "devices never became writeable" >&2; tracker_cmd 127.0.0.1 "$TRACKER_PORT" "get_devices "; exit 1; }
  sleep 0.5
done
echo "   writeable after ~$((i / 2)) s"

UP_OK=0
UP_HOST=${UP_TRACKERS%%,*}
if (exec 3<>"/dev/tcp/${UP_HOST%:*}/${UP_HOST##*:}") 2>/dev/null; then
  UP_OK=1
  echo "== upstream tracker $UP_TRACKERS answers; domain $UP_DOMAIN, class $CLASS"
  echo "   its classes: $(tracker_cmd "${UP_HOST%:*}" "${UP_HOST##*:}" "get_domains " | sed "s/^OK //" | tr '&' '\n' | grep -E 'class[0-9]+(name|mindevcount)=' | sort | tr '\n' ' ')"
else
  echo "== upstream tracker $UP_TRACKERS not reachable: only our figures"
fi

RESULTS=$WORK/results.txt
: >"$RESULTS"
# pid of the process listening on host:port (to read the tracker's CPU time), or 0.
listener_pid() {
  ss -ltnpH "sport = :${1##*:}" 2>/dev/null | grep -F "${1%:*}:${1##*:}" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1 | grep . || echo 0
}
bench() {  # label trackers domain args...
  local label=$1 trackers=$2 dom=$3 cpu_pid
  shift 3
  case $label in
    ours*) cpu_pid=$TRACKER_PID ;;
    *) cpu_pid=$(listener_pid "${trackers%%,*}") ;;
  esac
  echo "-- $label: tracker_bench --trackers=$trackers --domain=$dom --class=$CLASS --concurrency=$CONCURRENCY $* (load $(loadavg))"
  local out rc=0
  out=$("$BENCH" --trackers="$trackers" --domain="$dom" --class="$CLASS" \
    --concurrency=$CONCURRENCY --seconds="$SECONDS_PER_PHASE" --cpu_pid="$cpu_pid" "$@" 2>&1) || rc=$?
  printf '%s\n' "$out" | sed 's/^/   /'
  printf '%s\n' "$out" | grep '^RESULT ' | sed "s/^RESULT /RESULT who=$label /" >>"$RESULTS"
  [ $rc = 0 ] || echo "   (tracker_bench exit $rc: errors above)"
}
# Ours and upstream alternate, each case back to back, so both see the same machine load.
run_case() {  # args for tracker_bench
  bench ours "$TRACKER" "$DOMAIN" "$@"
  [ $UP_OK = 1 ] && bench upstream "$UP_TRACKERS" "$UP_DOMAIN" "$@"
  return 0
}
echo "== benchmark, concurrency $CONCURRENCY, <= $SECONDS_PER_PHASE s per phase"
run_case --size=4096 --ops="$SMALL_OPS" --get_paths_ops="$GET_OPS" --phase=both --noverify=0
run_case --size=4096 --ops="$SMALL_OPS" --get_paths_ops="$GET_OPS" --phase=get_paths --noverify=1
run_case --size=1048576 --ops="$LARGE_OPS" --get_paths_ops="$GET_OPS" --phase=both --noverify=0

rss() {  # VmRSS / VmHWM of the tracker and all its descendants (threads share the numbers)
  local pids=$1 all=$1 kids
  while [ -n "$pids" ]; do
    kids=$(for p in $pids; do cat /proc/$p/task/*/children 2>/dev/null; done | tr '\n' ' ')
    all="$all $kids"
    pids=$(echo $kids)
  done
  local total_rss=0 total_hwm=0 p r h
  for p in $all; do
    r=$(awk '/^VmRSS/{print $2}' /proc/$p/status 2>/dev/null || echo 0)
    h=$(awk '/^VmHWM/{print $2}' /proc/$p/status 2>/dev/null || echo 0)
    total_rss=$((total_rss + ${r:-0})); total_hwm=$((total_hwm + ${h:-0}))
  done
  echo "processes $(echo $all | wc -w), VmRSS ${total_rss} kB, VmHWM ${total_hwm} kB"
}
files_in_db() {
  mariadb -S "$WORK/run/mysqld.sock" -uroot -N -e 'SELECT COUNT(*) FROM mogilefs.file' 2>/dev/null || echo "?"
}
RSS1="after the benchmark ($(files_in_db) files): $(rss $TRACKER_PID)"
echo "== our mogilefsd RSS $RSS1"
db_status() {  # value of one global status counter of our MariaDB
  mariadb -S "$WORK/run/mysqld.sock" -uroot -N -e "SHOW GLOBAL STATUS LIKE '$1'" 2>/dev/null | awk '{print $2}'
}
echo "== larger upload run on our tracker: $BIG_UPLOAD_OPS x 4 KiB"
Q0=$(db_status Questions); C0=$(db_status Com_commit)
SECONDS_PER_PHASE=$((SECONDS_PER_PHASE * 6)) bench ours-big "$TRACKER" "$DOMAIN" \
  --size=4096 --ops="$BIG_UPLOAD_OPS" --phase=upload
Q1=$(db_status Questions); C1=$(db_status Com_commit)
BIG_OK=$(grep 'who=ours-big' "$RESULTS" | sed -n 's/.* ok=\([0-9]*\).*/\1/p' | head -1)
DBQ="our DB during the larger upload run: $((Q1 - Q0)) statements, $((C1 - C0)) COMMITs for ${BIG_OK:-?} uploads"
[ -n "$BIG_OK" ] && [ "$BIG_OK" -gt 0 ] && DBQ="$DBQ ($(awk -v q=$((Q1 - Q0)) -v c=$((C1 - C0)) -v n="$BIG_OK" 'BEGIN{printf "%.1f statements, %.1f COMMITs per upload", q/n, c/n}'); includes the Monitor's queries)"
echo "== $DBQ"
RSS2="after the larger upload run ($(files_in_db) files): $(rss $TRACKER_PID)"
echo "== our mogilefsd RSS $RSS2"
kill -0 "$TRACKER_PID" 2>/dev/null || { echo "our mogilefsd died" >&2; tail -20 "$WORK/log/mogilefsd.log" >&2; exit 1; }

echo
echo "== ours ($TRACKER) vs upstream ($UP_TRACKERS), concurrency $CONCURRENCY; $(date -u '+%F %T') UTC, load $(loadavg)"
awk '
  function field(line, name,   n, i, kv) {
    n = split(line, kv, " ")
    for (i = 1; i <= n; i++) if (index(kv[i], name "=") == 1) return substr(kv[i], length(name) + 2)
    return ""
  }
  {
    who = field($0, "who"); if (who == "ours-big") next
    key = field($0, "phase") " size=" field($0, "size")
    if (field($0, "phase") == "get_paths") key = key " noverify=" field($0, "noverify")
    if (!(key in seen)) { seen[key] = 1; order[++n] = key }
    ops[who, key] = field($0, "ops_per_s"); p50[who, key] = field($0, "p50_ms")
    p99[who, key] = field($0, "p99_ms"); err[who, key] = field($0, "errors")
    cpu[who, key] = field($0, "tracker_cpu_ms_per_op")
  }
  END {
    printf "| %-34s | %10s | %8s | %8s | %6s | %10s | %8s | %8s | %6s | %7s | %11s | %11s |\n", "case", "ours op/s", "p50 ms", "p99 ms", "errors", "upstr op/s", "p50 ms", "p99 ms", "errors", "ratio", "ours cpu/op", "upstr cpu/op"
    printf "|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n", "---", "---", "---", "---", "---", "---", "---", "---", "---", "---", "---", "---"
    for (i = 1; i <= n; i++) {
      k = order[i]; u = ops["upstream", k]
      ratio = (u != "" && u + 0 > 0) ? sprintf("%.1fx", ops["ours", k] / u) : "-"
      printf "| %-34s | %10s | %8s | %8s | %6s | %10s | %8s | %8s | %6s | %7s | %11s | %11s |\n", k, ops["ours", k], p50["ours", k], p99["ours", k], err["ours", k], (u == "" ? "-" : u), (u == "" ? "-" : p50["upstream", k]), (u == "" ? "-" : p99["upstream", k]), (u == "" ? "-" : err["upstream", k]), ratio, cpu["ours", k], (u == "" ? "-" : cpu["upstream", k])
    }
  }' "$RESULTS"
echo "(ratio = ours ops/s / upstream ops/s; cpu/op = tracker process tree CPU ms per successful"
echo " operation during the phase, upstream's tree includes its background workers; -1 = unknown)"
echo
echo "our mogilefsd RSS $RSS1"
echo "our mogilefsd RSS $RSS2"
echo "$DBQ"
echo "tracker log lines with error/warn: $(grep -ciE 'error|warn' "$WORK/log/mogilefsd.log" || true)"
grep -iE 'error|warn' "$WORK/log/mogilefsd.log" | head -5 || true
OK_EXIT=1
