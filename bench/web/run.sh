#!/usr/bin/env bash
# By-key serving benchmark (issue 12): the same files fetched three ways in one run, with the
# same load generator (http_load, keep-alive, concurrency 16):
#   bykey  mogstored's web listener, GET /<domain>/<key> (warm path cache, the copy local)
#   fid    mogstored's own HTTP listener, GET /devN/…/NNNNNNNNNN.fid (what the tracker hands out)
#   nginx  Debian's nginx serving the same docroot as static files (sendfile, no access log)
# for 4 KiB and 1 MiB files. Prints req/s, MB/s, p50/p99 and server CPU per request (user+sys
# ticks of the server's processes / successful requests), then bykey/nginx ratios (goal:
# >= 0.7 for 4 KiB, >= 0.9 for 1 MiB).
#
#   bash bench/web/run.sh [build-dir]       (default: ./build)
#
# The three runs of a size alternate within each round, in a rotating order.
# Knobs: DURATION (s per run, 5), ROUNDS (3; median by req/s), CONC (16), THREADS (http_load
# event-loop threads, 2), SMALL_KEYS (500), LARGE_KEYS (16), NGINX_WORKERS (2), PERF=1 (perf
# profile of the by-key runs, printed), STRACE=1 (syscall counts of our runs; slows them). One private
# MariaDB, one mogilefsd, one mogstored with weblisten, one nginx; all stopped on exit.
set -euo pipefail
BUILD=$(cd "${1:-build}" && pwd)
BIN=$BUILD/bin
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../lib/cluster.sh"
DURATION=${DURATION:-5}
ROUNDS=${ROUNDS:-3}
CONC=${CONC:-16}
THREADS=${THREADS:-2}
SMALL_KEYS=${SMALL_KEYS:-500}
LARGE_KEYS=${LARGE_KEYS:-16}
NGINX_WORKERS=${NGINX_WORKERS:-2}
for b in mogstored mogilefsd mogdbsetup http_load; do
  [ -x "$BIN/$b" ] || { echo "missing $BIN/$b (cmake --build $BUILD --target $b)" >&2; exit 1; }
done
command -v nginx >/dev/null || { echo "nginx missing (apt-get install nginx-light)" >&2; exit 1; }

bench_workdir mogwebbench
IP=127.0.0.2
start_mariadb
TRACKER_PORT=$(free_port 127.0.0.1)
cat > "$WORK/mogilefsd.conf" <<CONF
db_dsn = DBI:mysql:mogilefs:host=127.0.0.1;port=$DB_PORT
db_user = mogile
db_pass = mogpass
listen = 127.0.0.1:$TRACKER_PORT
user = root
CONF
HTTP_PORT=$(free_port $IP)
MGMT_PORT=$(free_port $IP)
WEB_PORT=$(free_port $IP)
echo "mogstored_stream_port = $MGMT_PORT" >> "$WORK/mogilefsd.conf"
"$BIN/mogilefsd" -c "$WORK/mogilefsd.conf" > "$WORK/log/mogilefsd.log" 2>&1 &
PIDS+=($!)
"$BIN/mogstored" --skipconfig --docroot="$WORK/s2" --httplisten=$IP:$HTTP_PORT \
  --mgmtlisten=$IP:$MGMT_PORT --weblisten=$IP:$WEB_PORT --trackers=127.0.0.1:$TRACKER_PORT \
  --web_upload_token=bench --web_path_cache_ttl=600 --noiostat > "$WORK/log/mogstored.log" 2>&1 &
MOG_PID=$!
PIDS+=($MOG_PID)
wait_port 127.0.0.1 "$TRACKER_PORT" 30
wait_port $IP "$WEB_PORT" 30
tracker_cmd 127.0.0.1 "$TRACKER_PORT" "create_host host=s2&ip=$IP&port=$HTTP_PORT&status=alive" >/dev/null
tracker_cmd 127.0.0.1 "$TRACKER_PORT" "create_device hostname=s2&devid=1&state=alive" >/dev/null
tracker_cmd 127.0.0.1 "$TRACKER_PORT" "create_domain domain=bench" >/dev/null
tracker_cmd 127.0.0.1 "$TRACKER_PORT" "create_class domain=bench&class=one&mindevcount=1" >/dev/null
echo "== waiting for the device to be writeable"
for _ in $(seq 1 100); do
  case $(tracker_cmd 127.0.0.1 "$TRACKER_PORT" "get_devices") in
    *dev1_observed_state=writeable*) break ;;
  esac
  sleep 0.2
done

# --- the files: uploaded by key, then their fid paths from get_paths ------------------------
upload() {  # upload <prefix> <count> <bytes>
  head -c "$3" /dev/urandom > "$WORK/tmp/$1.bin"
  : > "$WORK/$1.bykey"; : > "$WORK/$1.fid"; : > "$WORK/$1.nginx"
  for i in $(seq 1 "$2"); do
    key="$1/photo $i.jpg"
    curl -fsS -o /dev/null -X PUT -H "Authorization: Bearer bench" \
      --data-binary @"$WORK/tmp/$1.bin" "http://$IP:$WEB_PORT/bench/$1/photo%20$i.jpg?class=one"
    path=$(tracker_cmd 127.0.0.1 "$TRACKER_PORT" "get_paths domain=bench&key=${key// /+}&noverify=1" |
      sed -n 's/.*path1=\([^&]*\).*/\1/p' | sed 's/%3A/:/g; s/%2F/\//g')
    [ -n "$path" ] || { echo "no path for $key" >&2; exit 1; }
    echo "http://$IP:$WEB_PORT/bench/$1/photo%20$i.jpg" >> "$WORK/$1.bykey"
    echo "$path" >> "$WORK/$1.fid"
    echo "http://$IP:NGINXPORT/${path#http://*/}" >> "$WORK/$1.nginx"
  done
}
echo "== uploading $SMALL_KEYS x 4 KiB and $LARGE_KEYS x 1 MiB through the web listener"
upload small "$SMALL_KEYS" 4096
upload large "$LARGE_KEYS" 1048576

NGINX_PORT=$(free_port $IP)
mkdir -p "$WORK/nginx/logs" "$WORK/nginx/tmp"
cat > "$WORK/nginx/nginx.conf" <<CONF
user $(id -un) $(id -gn);
worker_processes $NGINX_WORKERS;
pid $WORK/nginx/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/octet-stream;
  sendfile on; tcp_nopush on; tcp_nodelay on;
  keepalive_timeout 65; keepalive_requests 1000000;
  client_body_temp_path $WORK/nginx/tmp; proxy_temp_path $WORK/nginx/tmp;
  fastcgi_temp_path $WORK/nginx/tmp; uwsgi_temp_path $WORK/nginx/tmp; scgi_temp_path $WORK/nginx/tmp;
  server { listen $IP:$NGINX_PORT; root $WORK/s2; }
}
CONF
nginx -p "$WORK/nginx/" -e "$WORK/nginx/logs/error.log" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' \
  > "$WORK/log/nginx.log" 2>&1 &
NGINX_PID=$!
PIDS+=($NGINX_PID)
wait_port $IP "$NGINX_PORT" 10
sed -i "s/NGINXPORT/$NGINX_PORT/" "$WORK/small.nginx" "$WORK/large.nginx"

CLK_TCK=$(getconf CLK_TCK)
tree_ticks() {  # user+sys ticks of a pid and its children
  local t=0 p
  for p in $1 $(pgrep -P "$1" || true); do
    t=$((t + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo $t
}
run() {  # run <server> <size> <list>; appends "server size rps mbps p50 p99 cpu_us errors"
  local pid=$MOG_PID before after out
  [ "$1" = nginx ] && pid=$NGINX_PID
  before=$(tree_ticks "$pid")
  local perf_pid=
  if [ "${STRACE:-0}" = 1 ] && [ "$1" != nginx ]; then  # STRACE=1: syscall counts (slow!)
    timeout "$((DURATION + 2))" strace -c -f -p "$pid" -o "$WORK/strace.$1.$2.txt" &
    perf_pid=$!
  fi
  if [ "${PERF:-0}" = 1 ] && [ "$1" = bykey ]; then  # PERF=1: profile of the by-key runs
    perf record -q -g -o "$WORK/perf.$2.data" -p "$pid" -- sleep "$DURATION" 2>/dev/null &
    perf_pid=$!
  fi
  out=$("$BIN/http_load" --url-list="$3" -c "$CONC" --threads="$THREADS" --duration="$DURATION" \
    --expect-size="$4" --quiet || true)
  after=$(tree_ticks "$pid")
  if [ -n "$perf_pid" ] && [ "${STRACE:-0}" = 1 ]; then
    wait "$perf_pid" || true
    echo "strace $1 $2:" >&2
    head -20 "$WORK/strace.$1.$2.txt" >&2
    perf_pid=
  fi
  if [ -n "$perf_pid" ]; then
    wait "$perf_pid" || true
    perf report -q --no-children -i "$WORK/perf.$2.data" --percent-limit 1.5 --stdio \
      2>/dev/null | grep -v '^$' | head -40 > "$WORK/perf.$2.txt" || true
    echo "perf profile of bykey $2: $WORK/perf.$2.txt" >&2
    cat "$WORK/perf.$2.txt" >&2
  fi
  get() { echo "$out" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
  awk -v s="$1" -v z="$2" -v rps="$(get rps)" -v mb="$(get mbps)" -v p50="$(get p50_ms)" \
    -v p99="$(get p99_ms)" -v ok="$(get ok)" -v err="$(get errors)" -v t=$((after - before)) \
    -v hz="$CLK_TCK" 'BEGIN { printf "%s %s %s %s %s %s %.1f %s\n", s, z, rps, mb, p50, p99,
      (ok > 0 ? t / hz * 1e6 / ok : 0), err }' >> "$WORK/rows"
  tail -1 "$WORK/rows" >&2
}
echo "== warming (path cache, page cache)"
"$BIN/http_load" --url-list="$WORK/small.bykey" -c 4 -n "$((SMALL_KEYS * 2))" --quiet >/dev/null
"$BIN/http_load" --url-list="$WORK/large.bykey" -c 4 -n "$((LARGE_KEYS * 2))" --quiet >/dev/null
LOAD_BEFORE=$(loadavg)
: > "$WORK/rows"
for round in $(seq 1 "$ROUNDS"); do
  echo "== round $round/$ROUNDS" >&2
  for size in 4KiB 1MiB; do
    if [ $size = 4KiB ]; then base=small; bytes=4096; else base=large; bytes=1048576; fi
    # The order rotates per round, so a burst of other load on the machine hits each alike.
    order=(bykey fid nginx bykey fid)
    for s in "${order[@]:$(((round - 1) % 3)):3}"; do
      run "$s" $size "$WORK/$base.$s" $bytes
    done
  done
done

echo
echo "By-key vs fid GET vs nginx static, $(nproc) CPUs shared with http_load ($THREADS threads)," \
  "concurrency $CONC, ${DURATION}s x $ROUNDS rounds (median by req/s); load before: $LOAD_BEFORE," \
  "after: $(loadavg)"
echo
echo "| server | size | req/s | MB/s | p50 ms | p99 ms | server CPU us/req | errors |"
echo "|---|---|---|---|---|---|---|---|"
for size in 4KiB 1MiB; do
  for s in bykey fid nginx; do
    awk -v s=$s -v z=$size '$1 == s && $2 == z' "$WORK/rows" | sort -k3 -g |
      awk -v n="$ROUNDS" 'NR == int((n + 1) / 2) { printf "| %s | %s | %.0f | %.1f | %s | %s | %s | %s |\n",
        $1, $2, $3, $4, $5, $6, $7, $8 }'
  done
done | tee "$WORK/table"
echo
for size in 4KiB 1MiB; do
  awk -v z=$size '$4 == z { v[$2] = $6; c[$2] = $14 }
    END { printf "%s: bykey/nginx req/s %.2f (goal %s), bykey/fid %.2f; CPU per request bykey/nginx %.2f\n",
      z, v["bykey"] / v["nginx"], (z == "4KiB" ? ">= 0.7" : ">= 0.9"), v["bykey"] / v["fid"],
      c["bykey"] / c["nginx"] }' "$WORK/table"
done
OK_EXIT=1
