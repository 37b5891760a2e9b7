# Shell pieces shared by the benchmark scripts that start a private cluster of our daemons
# (bench/tracker/run.sh, bench/replication/run.sh). Source it after setting BIN (our binaries).
#
#   bench_workdir PREFIX   make WORK=/tmp/PREFIX.XXXXXX with its subdirectories, and stop every
#                          pid in PIDS on exit (SIGTERM, then SIGKILL after 10 s); WORK is
#                          removed if the script set OK_EXIT=1 and KEEP_WORK is not 1
#   free_port IP...        a port free on every address given
#   wait_port IP PORT S    wait (at most S seconds) until IP:PORT accepts
#   tracker_cmd H P LINE   one tracker request; its reply (multi-line admin replies joined)
#   loadavg                the 1/5/15-minute load averages
#   start_mariadb          private MariaDB on DB_PORT (innodb_flush_log_at_trx_commit=2, as the
#                          upstream reference cluster) with the schema made by our mogdbsetup

bench_workdir() {
  WORK=$(mktemp -d "/tmp/$1.XXXXXX")
  PIDS=()
  OK_EXIT=0
  trap bench_cleanup EXIT
  trap 'exit 143' TERM INT HUP
  mkdir -p "$WORK/log" "$WORK/run" "$WORK/db" "$WORK/tmp" "$WORK/s2/dev1" "$WORK/s2/dev2" \
    "$WORK/s3/dev3" "$WORK/s3/dev4"
}

bench_cleanup() {
  local pid i
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    i=0
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ "$OK_EXIT" = 1 ] && [ "${KEEP_WORK:-0}" != 1 ]; then
    rm -rf "$WORK"
  else
    echo "logs kept in $WORK/log" >&2
  fi
}

# The side-channel port must be the same on all stores: the tracker uses one
# mogstored_stream_port for every host.
free_port() {
  python3 - "$@" <<'PY'
import random, socket, sys
for _ in range(200):
    port = random.randint(20000, 60000)
    try:
        for ip in sys.argv[1:]:
            s = socket.socket(); s.bind((ip, port)); s.close()
        print(port); break
    except OSError:
        continue
else:
    sys.exit("no free port")
PY
}

wait_port() {  # ip port seconds
  local i=0
  until (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; do
    i=$((i + 1))
    [ $i -le $(($3 * 10)) ] || { echo "timed out waiting for $1:$2" >&2; return 1; }
    sleep 0.1
  done
}

# Reply lines until the first OK/ERR line or a lone "." (admin commands); each read bounded.
tracker_cmd() {  # host port line
  local reply="" line
  exec 5<>"/dev/tcp/$1/$2"
  printf '%s\r\n' "$3" >&5
  while IFS= read -r -t 20 line <&5; do
    line=${line%$'\r'}
    case $line in
      .) break ;;
      OK*|ERR*) reply="$reply$line"; break ;;
      *) reply="$reply$line; " ;;
    esac
  done
  exec 5<&- 5>&-
  printf '%s\n' "$reply"
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

start_mariadb() {
  local as_root_user=()
  [ "$(id -u)" = 0 ] && as_root_user=(--user=root)
  DB_PORT=$(free_port 127.0.0.1)
  echo "== MariaDB on 127.0.0.1:$DB_PORT (datadir $WORK/db)"
  mariadb-install-db --no-defaults --datadir="$WORK/db" --auth-root-authentication-method=normal \
    --skip-test-db --skip-name-resolve --tmpdir="$WORK/tmp" "${as_root_user[@]}" \
    >"$WORK/log/mariadb-install.log" 2>&1
  mariadbd --no-defaults --datadir="$WORK/db" --socket="$WORK/run/mysqld.sock" --port="$DB_PORT" \
    --bind-address=127.0.0.1 --pid-file="$WORK/run/mariadbd.pid" --skip-log-bin \
    --skip-name-resolve --innodb-buffer-pool-size=64M --innodb-flush-log-at-trx-commit=2 \
    --max-connections=300 --tmpdir="$WORK/tmp" --log-error="$WORK/log/mariadbd.log" \
    "${as_root_user[@]}" >/dev/null 2>&1 &
  PIDS+=($!)
  wait_port 127.0.0.1 "$DB_PORT" 60
  "$BIN/mogdbsetup" --yes --dbhost=127.0.0.1 --dbport="$DB_PORT" --dbname=mogilefs \
    --dbrootuser=root --dbrootpassword= --dbuser=mogile --dbpassword=mogpass \
    >"$WORK/log/mogdbsetup.log" 2>&1
}
