#!/bin/sh
# Storage-node benchmark: our mogstored against Debian's nginx serving the same docroot, with
# the same load generator (http_load), in one run. Prints a table and the ratio
# mogstored/nginx per test, and mogstored's peak RSS under 16 concurrent 100 MiB PUTs plus
# 16 concurrent 100 MiB GETs.
#
#   sh bench/storaged_vs_nginx.sh [build-dir]        (default build-dir: ./build)
#
# Each test runs ROUNDS times (default 3), alternating servers; the table shows the median
# round by req/s. Knobs (environment): DURATION (s per run, default 5), ROUNDS, SMALL_FILES (default 1000),
# LARGE_FILES (default 4), SMALL_CONC (16), LARGE_CONC (4), RSS_CONC (16), NGINX_WORKERS (2),
# SERVERS ("nginx mogstored"), KEEP_TMP=1 keeps the temp dir, TMPDIR picks where it goes,
# SYSCALLS=1 adds a table of syscalls per small GET (strace -c, SYSCALL_REQUESTS requests).
# Every wait is bounded; every process started here is stopped by the EXIT trap.
set -eu

BUILD_DIR=${1:-build}
BUILD_DIR=$(cd "$BUILD_DIR" && pwd)
HTTP_LOAD=$BUILD_DIR/bin/http_load
MOGSTORED=$BUILD_DIR/bin/mogstored
DURATION=${DURATION:-5}
ROUNDS=${ROUNDS:-3}
SMALL_FILES=${SMALL_FILES:-1000}
LARGE_FILES=${LARGE_FILES:-4}
SMALL_CONC=${SMALL_CONC:-16}
LARGE_CONC=${LARGE_CONC:-4}
RSS_CONC=${RSS_CONC:-16}
NGINX_WORKERS=${NGINX_WORKERS:-2}
SERVERS=${SERVERS:-nginx mogstored}
SMALL_SIZE=4096
LARGE_SIZE=104857600          # 100 MiB
LARGE_FID_START=2000001       # /dev1/0/002/000/0002000001.fid ...
MAX_SECONDS=300               # hard cap per http_load run

die() { echo "storaged_vs_nginx: $*" >&2; exit 1; }

[ -x "$HTTP_LOAD" ] || die "$HTTP_LOAD not found; build it: cmake --build $BUILD_DIR --target http_load"

# --- nginx with the core DAV module (PUT) -------------------------------------------------
# Debian 12's `nginx` package is built --with-http_dav_module (nginx-light/-core/-full are
# transitional names for it); install it only when the module is missing.
if ! command -v nginx >/dev/null 2>&1 || ! nginx -V 2>&1 | grep -q -- '--with-http_dav_module'; then
  echo "nginx with ngx_http_dav_module missing; installing Debian's nginx package" >&2
  [ "$(id -u)" = 0 ] || die "need root for apt-get install nginx"
  apt-get install -y nginx >/dev/null || die "apt-get install nginx failed"
  nginx -V 2>&1 | grep -q -- '--with-http_dav_module' || die "nginx still lacks the dav module"
fi

# --- state and cleanup --------------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mogbench.XXXXXX")
DOCROOT=$WORK/docroot
NGINX_PID=
MOG_PID=
BG_PIDS=

stop_pid() {  # stop_pid <pid>: TERM, up to 5 s, then KILL
  [ -n "$1" ] || return 0
  kill -TERM "$1" 2>/dev/null || return 0
  i=0
  while kill -0 "$1" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
  kill -KILL "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

cleanup() {
  for p in $BG_PIDS; do stop_pid "$p"; done
  stop_pid "$MOG_PID"
  stop_pid "$NGINX_PID"
  if [ "${KEEP_TMP:-0}" = 1 ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

USED_PORTS=
# free_port: sets FREE_PORT to a random port nobody listens on now and that this script has
# not handed out before (not run in $(...), so that USED_PORTS persists).
free_port() {
  n=0
  while [ $n -lt 100 ]; do
    p=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000))
    case " $USED_PORTS " in *" $p "*) n=$((n + 1)); continue ;; esac
    if [ -z "$(ss -ltnH "sport = :$p" 2>/dev/null)" ]; then
      USED_PORTS="$USED_PORTS $p"
      FREE_PORT=$p
      return 0
    fi
    n=$((n + 1))
  done
  die "no free port found"
}

wait_http() {  # wait_http <port> <pid>: until the server answers HTTP (any status), <= 10 s
  i=0
  while [ $i -lt 100 ]; do
    kill -0 "$2" 2>/dev/null || return 1
    if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/"; then return 0; fi
    sleep 0.1
    i=$((i + 1))
  done
  return 1
}

fid_path() {  # fid_path <devid> <fid> -> devN/b/mmm/ttt/NNNNNNNNNN.fid (fids < 10^10)
  awk -v d="$1" -v f="$2" 'BEGIN { p = sprintf("%010d", f);
    printf "dev%s/%s/%s/%s/%s.fid\n", d, substr(p, 1, 1), substr(p, 2, 3), substr(p, 5, 3), p }'
}

# --- docroot: dev1 holds the GET files; dev2 and dev3 receive the PUTs ---------------------
echo "preparing docroot in $DOCROOT ..." >&2
mkdir -p "$DOCROOT/dev1" "$DOCROOT/dev2" "$DOCROOT/dev3"
head -c $SMALL_SIZE /dev/urandom > "$WORK/small.bin"
awk -v n="$SMALL_FILES" 'BEGIN { for (i = 1; i <= n; i++) { p = sprintf("%010d", i);
    printf "dev1/%s/%s/%s/%s.fid\n", substr(p, 1, 1), substr(p, 2, 3), substr(p, 5, 3), p } }' \
  > "$WORK/small.list"
(cd "$DOCROOT" && sed 's|/[^/]*$||' "$WORK/small.list" | sort -u | xargs mkdir -p)
while read -r f; do cp "$WORK/small.bin" "$DOCROOT/$f"; done < "$WORK/small.list"
i=0
while [ $i -lt "$LARGE_FILES" ]; do
  f=$DOCROOT/$(fid_path 1 $((LARGE_FID_START + i)))
  mkdir -p "$(dirname "$f")"
  dd if=/dev/urandom of="$f" bs=1048576 count=100 status=none
  i=$((i + 1))
done

# --- servers --------------------------------------------------------------------------------
start_nginx() {
  free_port; NGINX_PORT=$FREE_PORT
  mkdir -p "$WORK/nginx/logs" "$WORK/nginx/body"
  # worker_processes 2 = one per core of the benchmark machine; `user` only matters as root
  # (keeps workers able to write the docroot). sendfile + keep-alive, no access log: nginx's
  # best static-file setup. PUT goes through the core DAV module (request body written to
  # client_body_temp_path, then renamed into place - same file system as the docroot).
  cat > "$WORK/nginx/nginx.conf" <<EOF
user $(id -un) $(id -gn);
worker_processes $NGINX_WORKERS;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  default_type application/octet-stream;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 65;
  keepalive_requests 1000000;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/body;
  fastcgi_temp_path $WORK/nginx/body;
  uwsgi_temp_path $WORK/nginx/body;
  scgi_temp_path $WORK/nginx/body;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $DOCROOT;
    location / {
      dav_methods PUT DELETE;
      create_full_put_path on;
      dav_access user:rw group:r all:r;
      client_max_body_size 0;
    }
  }
}
EOF
  nginx -p "$WORK/nginx/" -e "$WORK/nginx/logs/error.log" -c "$WORK/nginx/nginx.conf" \
    > "$WORK/nginx/logs/stdout.log" 2>&1 &
  NGINX_PID=$!
  wait_http "$NGINX_PORT" "$NGINX_PID" || { cat "$WORK/nginx/logs/error.log" >&2; die "nginx did not start"; }
}

start_mogstored() {
  free_port; MOG_PORT=$FREE_PORT
  free_port; MOG_MGMT_PORT=$FREE_PORT
  "$MOGSTORED" --skipconfig --docroot="$DOCROOT" --httplisten=127.0.0.1:$MOG_PORT \
    --mgmtlisten=127.0.0.1:$MOG_MGMT_PORT > "$WORK/mogstored.log" 2>&1 &
  MOG_PID=$!
  wait_http "$MOG_PORT" "$MOG_PID" || { tail -20 "$WORK/mogstored.log" >&2; die "mogstored did not start"; }
}

have_mogstored=0
case " $SERVERS " in *" mogstored "*) [ -x "$MOGSTORED" ] && have_mogstored=1 ;; esac
case " $SERVERS " in *" nginx "*) start_nginx ;; esac
if [ $have_mogstored = 1 ]; then
  start_mogstored
else
  echo "NOTE: $MOGSTORED not built (or not selected) - nginx figures only" >&2
fi

port_of() { if [ "$1" = nginx ]; then echo "$NGINX_PORT"; else echo "$MOG_PORT"; fi; }
servers() {
  case " $SERVERS " in *" nginx "*) echo nginx ;; esac
  [ $have_mogstored = 1 ] && echo mogstored
  return 0
}

status_kb() {  # status_kb <pid> <field>: kB value from /proc/<pid>/status, 0 if gone
  awk -v k="$2:" '$1 == k { v = $2 } END { print v + 0 }' "/proc/$1/status" 2>/dev/null || echo 0
}
tree_pids() {  # the server's process and its direct children (nginx workers)
  echo "$1"
  ps -o pid= --ppid "$1" 2>/dev/null || true
}
server_pid() { if [ "$1" = nginx ]; then echo "$NGINX_PID"; else echo "$MOG_PID"; fi; }
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() {  # cpu_ticks <pid>: user+system clock ticks of the process tree (all threads)
  t=0
  for p in $(tree_pids "$1"); do
    t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$t"
}

# --- one measurement -------------------------------------------------------------------------
# run_test <server> <test-name> <http_load args...>; appends a row to $WORK/rows
run_test() {
  server=$1; name=$2; shift 2
  out=$WORK/$server.$(echo "$name" | tr ' ' '_').out
  ticks_before=$(cpu_ticks "$(server_pid "$server")")
  "$HTTP_LOAD" --port "$(port_of "$server")" --max-seconds $MAX_SECONDS --timeout 60 "$@" \
    > "$out" 2>&1 || true
  ticks=$(($(cpu_ticks "$(server_pid "$server")") - ticks_before))
  line=$(grep '^RESULT ' "$out" || true)
  if [ -z "$line" ]; then
    cat "$out" >&2
    line="RESULT ok=0 errors=? rps=0 mbps=0 p50_ms=0 p99_ms=0 concurrency=?"
  fi
  get() { echo "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
  # Server CPU time per successful request: robust against other load on the machine.
  cpu_us=$(awk -v t="$ticks" -v hz="$CLK_TCK" -v n="$(get ok)" \
    'BEGIN { if (n > 0) printf "%.1f", t * 1e6 / hz / n; else print "n/a" }')
  printf '%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n' "$server" "$name" "$(get concurrency)" "$(get ok)" \
    "$(get errors)" "$(get rps)" "$(get mbps)" "$(get p50_ms)" "$(get p99_ms)" "$cpu_us" \
    >> "$WORK/rows"
  first=$(sed -n 's/^  first error: //p' "$out")
  [ -z "$first" ] || echo "  $server / $name: first error: $first" >&2
  echo "  $server / $name: $(get rps) req/s, $(get mbps) MB/s, p99 $(get p99_ms) ms," \
    "server CPU $cpu_us us/req, errors $(get errors)" >&2
}

: > "$WORK/rows"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
LARGE_GET_ARGS="--method GET --path-template /dev1/{fid} --template-start $LARGE_FID_START
  --template-count $LARGE_FILES --expect-size $LARGE_SIZE"
# Each round runs a test once per server, alternating, so that load from other users of the
# machine hits both alike; the report keeps the median round.
run_rounds() {  # run_rounds <test-name> <http_load args...>
  r=1
  while [ $r -le "$ROUNDS" ]; do
    for s in $(servers); do run_test "$s" "$@"; done
    r=$((r + 1))
  done
}
run_rounds "small GET 4K" --method GET --concurrency "$SMALL_CONC" --duration "$DURATION" \
  --path-template '/dev1/{fid}' --template-start 1 --template-count "$SMALL_FILES" \
  --expect-size $SMALL_SIZE
# shellcheck disable=SC2086
run_rounds "large GET 100M" --concurrency "$LARGE_CONC" --duration "$DURATION" $LARGE_GET_ARGS
run_rounds "small PUT 4K" --method PUT --concurrency "$SMALL_CONC" --duration "$DURATION" \
  --body-size $SMALL_SIZE --path-template '/dev2/{fid}' --template-start 1 \
  --template-count "$SMALL_FILES"
run_rounds "large PUT 100M" --method PUT --concurrency "$LARGE_CONC" --duration "$DURATION" \
  --body-size $LARGE_SIZE --path-template '/dev2/{fid}' --template-start $LARGE_FID_START \
  --template-count "$LARGE_CONC"

# --- peak RSS under 16 concurrent 100 MiB PUTs + 16 concurrent 100 MiB GETs ------------------
# rss_phase <server>: appends "<server> <VmHWM main kB> <VmHWM sum kB> <max sampled VmRSS sum kB>"
rss_phase() {
  server=$1
  pid=$(server_pid "$server")
  # Writing 5 to clear_refs resets VmHWM (Linux >= 4.0), so the peak is this phase's own.
  for p in $(tree_pids "$pid"); do echo 5 > "/proc/$p/clear_refs" 2>/dev/null || true; done
  port=$(port_of "$server")
  "$HTTP_LOAD" --port "$port" --method PUT --concurrency "$RSS_CONC" --requests $((RSS_CONC * 2)) \
    --body-size $LARGE_SIZE --path-template '/dev3/{fid}' --template-start 1 \
    --template-count "$RSS_CONC" --max-seconds $MAX_SECONDS > "$WORK/$server.rss_put.out" 2>&1 &
  put_pid=$!
  # shellcheck disable=SC2086
  "$HTTP_LOAD" --port "$port" --concurrency "$RSS_CONC" --requests $((RSS_CONC * 4)) \
    --max-seconds $MAX_SECONDS $LARGE_GET_ARGS > "$WORK/$server.rss_get.out" 2>&1 &
  get_pid=$!
  BG_PIDS="$put_pid $get_pid"
  sampled=0
  while kill -0 $put_pid 2>/dev/null || kill -0 $get_pid 2>/dev/null; do
    sum=0
    for p in $(tree_pids "$pid"); do sum=$((sum + $(status_kb "$p" VmRSS))); done
    [ "$sum" -gt "$sampled" ] && sampled=$sum
    sleep 0.2
  done
  wait $put_pid 2>/dev/null || true
  wait $get_pid 2>/dev/null || true
  BG_PIDS=
  main_hwm=$(status_kb "$pid" VmHWM)
  sum_hwm=0
  for p in $(tree_pids "$pid"); do sum_hwm=$((sum_hwm + $(status_kb "$p" VmHWM))); done
  for f in rss_put rss_get; do
    echo "  $server / $f: $(grep '^RESULT' "$WORK/$server.$f.out" | cut -d' ' -f2-7)" >&2
  done
  echo "$server $main_hwm $sum_hwm $sampled" >> "$WORK/rss_rows"
}
: > "$WORK/rss_rows"
for s in $(servers); do rss_phase "$s"; done

# --- optional: syscalls per small GET (SYSCALLS=1, needs strace) ------------------------------
# strace slows the server down a lot, so this runs after the timed tests and only counts.
syscall_phase() {  # syscall_phase <server>: appends "<server> <syscall> <calls per request>"
  server=$1
  args=
  for p in $(tree_pids "$(server_pid "$server")"); do args="$args -p $p"; done
  # shellcheck disable=SC2086
  timeout 120 strace -c -f $args -o "$WORK/$server.strace" 2>/dev/null &
  strace_pid=$!
  BG_PIDS=$strace_pid
  sleep 1
  n=$SYSCALL_REQUESTS
  "$HTTP_LOAD" -q --port "$(port_of "$server")" --concurrency "$SMALL_CONC" --requests "$n" \
    --path-template '/dev1/{fid}' --template-start 1 --template-count "$SMALL_FILES" \
    --expect-size $SMALL_SIZE --max-seconds $MAX_SECONDS > "$WORK/$server.strace_load" 2>&1 || true
  sleep 0.5
  kill -INT "$strace_pid" 2>/dev/null || true
  wait "$strace_pid" 2>/dev/null || true
  BG_PIDS=
  awk -v s="$server" -v n="$n" '$NF ~ /^[a-z_0-9]+$/ && $4 ~ /^[0-9]+$/ && $NF != "total" && $4 / n >= 0.005 {
      printf "%s %s %.2f\n", s, $NF, $4 / n }' "$WORK/$server.strace" >> "$WORK/syscalls"
}
SYSCALL_REQUESTS=${SYSCALL_REQUESTS:-20000}
: > "$WORK/syscalls"
if [ "${SYSCALLS:-0}" = 1 ]; then
  if command -v strace >/dev/null 2>&1; then
    for s in $(servers); do syscall_phase "$s"; done
  else
    echo "SYSCALLS=1 but strace is not installed; skipped" >&2
  fi
fi
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report ----------------------------------------------------------------------------------
echo
echo "storaged_vs_nginx: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -r)," \
  "$(nginx -v 2>&1 | sed 's/.*: //') ($NGINX_WORKERS workers)," \
  "load average before $LOAD_BEFORE / after $LOAD_AFTER"
echo "median of $ROUNDS rounds of ${DURATION}s per test and server; ${SMALL_FILES} x 4 KiB and ${LARGE_FILES} x 100 MiB files;" \
  "http_load shares the same CPUs"
echo
printf '| %-9s | %-14s | %4s | %9s | %8s | %6s | %9s | %9s | %10s | %6s |\n' \
  server test conc req/s MB/s ok p50_ms p99_ms cpu_us/req errors
printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' ----------- ---------------- ------ ----------- \
  ---------- -------- ----------- ----------- ------------ --------
# The median round (by req/s) of each server and test, in the order the tests ran.
: > "$WORK/median"
for name in "small GET 4K" "large GET 100M" "small PUT 4K" "large PUT 100M"; do
  for s in $(servers); do
    awk -F'|' -v s="$s" -v t="$name" '$1 == s && $2 == t' "$WORK/rows" | sort -t'|' -k6,6g \
      > "$WORK/sorted"
    n=$(wc -l < "$WORK/sorted")
    [ "$n" -gt 0 ] && sed -n "$(((n + 1) / 2))p" "$WORK/sorted" >> "$WORK/median"
  done
done
while IFS='|' read -r server name conc ok errors rps mbps p50 p99 cpu; do
  printf '| %-9s | %-14s | %4s | %9s | %8s | %6s | %9s | %9s | %10s | %6s |\n' \
    "$server" "$name" "$conc" "$rps" "$mbps" "$ok" "$p50" "$p99" "$cpu" "$errors"
done < "$WORK/median"

if [ $have_mogstored = 1 ] && grep -q '^nginx|' "$WORK/rows"; then
  echo
  echo "| test           | mogstored/nginx req/s | target  | mogstored/nginx CPU per req |"
  echo "|----------------|-----------------------|---------|-----------------------------|"
  for name in "small GET 4K" "large GET 100M" "small PUT 4K" "large PUT 100M"; do
    n=$(awk -F'|' -v t="$name" '$1 == "nginx" && $2 == t { print $6 }' "$WORK/median")
    m=$(awk -F'|' -v t="$name" '$1 == "mogstored" && $2 == t { print $6 }' "$WORK/median")
    target="-"
    [ "$name" = "small GET 4K" ] && target=">= 0.80"
    [ "$name" = "large GET 100M" ] && target=">= 0.90"
    ratio=$(awk -v n="$n" -v m="$m" 'BEGIN { if (n > 0) printf "%.2f", m / n; else print "n/a" }')
    nc=$(awk -F'|' -v t="$name" '$1 == "nginx" && $2 == t { print $10 }' "$WORK/median")
    mc=$(awk -F'|' -v t="$name" '$1 == "mogstored" && $2 == t { print $10 }' "$WORK/median")
    cpu_ratio=$(awk -v n="$nc" -v m="$mc" 'BEGIN { if (n > 0) printf "%.2f", m / n; else print "n/a" }')
    printf '| %-14s | %21s | %-7s | %27s |\n' "$name" "$ratio" "$target" "$cpu_ratio"
  done
fi

echo
echo "Peak RSS during $RSS_CONC x 100 MiB PUT + $RSS_CONC x 100 MiB GET at once:"
echo "| server    | VmHWM main process | VmHWM sum (incl. children) | max sampled VmRSS sum |"
echo "|-----------|--------------------|----------------------------|-----------------------|"
while read -r s main sum sampled; do
  printf '| %-9s | %14.1f MiB | %22.1f MiB | %17.1f MiB |\n' "$s" \
    "$(awk -v k="$main" 'BEGIN { print k / 1024 }')" "$(awk -v k="$sum" 'BEGIN { print k / 1024 }')" \
    "$(awk -v k="$sampled" 'BEGIN { print k / 1024 }')"
done < "$WORK/rss_rows"
if [ $have_mogstored = 1 ]; then
  echo "target: mogstored main process VmHWM < 64 MiB"
fi

if [ -s "$WORK/syscalls" ]; then
  echo
  echo "Syscalls per small GET (strace -c -f, $SYSCALL_REQUESTS requests, concurrency $SMALL_CONC):"
  cols=$(servers | tr '\n' ' ')
  printf '| %-16s |' syscall
  for s in $cols; do printf ' %9s |' "$s"; done
  echo
  printf '|%s|' ------------------
  for s in $cols; do printf '%s|' -----------; done
  echo
  awk '{ print $2 }' "$WORK/syscalls" | sort -u > "$WORK/syscall_names"
  while read -r name; do
    printf '| %-16s |' "$name"
    for s in $cols; do
      v=$(awk -v s="$s" -v c="$name" '$1 == s && $2 == c { print $3 }' "$WORK/syscalls")
      printf ' %9s |' "${v:-0}"
    done
    echo
  done < "$WORK/syscall_names"
  printf '| %-16s |' total
  for s in $cols; do
    printf ' %9s |' "$(awk -v s="$s" '$1 == s { t += $3 } END { printf "%.2f", t }' "$WORK/syscalls")"
  done
  echo
fi

# A run with failed requests is not a valid measurement: say so and fail.
failed=$(awk -F'|' '$5 != "0" { n++ } END { print n + 0 }' "$WORK/rows")
for f in "$WORK"/*.rss_put.out "$WORK"/*.rss_get.out; do
  [ -f "$f" ] || continue
  grep -q '^RESULT .* errors=0 ' "$f" || failed=$((failed + 1))
done
if [ "$failed" -gt 0 ]; then
  echo "WARNING: $failed run(s) had failed requests; see the first errors above" >&2
  exit 1
fi
