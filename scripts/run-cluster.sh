#!/bin/sh
# The README's "run" command: a whole local MogileFS cluster on one machine, then the seed
# walkthrough with our tools, ending with a verdict. Everything lives under $MOG_CLUSTER_DIR
# (default /tmp/mogilefs-cluster): a private MariaDB (own datadir, socket, port 3307), the
# tracker on 127.0.0.1:7001, storage nodes on 127.0.0.2 and 127.0.0.3 (HTTP 7500, side
# channel 7501).
#   sh scripts/run-cluster.sh         start afresh (stopping and wiping an earlier cluster in
#                                     the same directory) and run the walkthrough
#   sh scripts/run-cluster.sh stop    stop everything the last start started (wherever it ran)
# Overrides: MOG_CLUSTER_DIR, MOG_DB_PORT, MOG_TRACKER_PORT, MOG_HTTP_PORT, MOG_SIDE_PORT,
# MOG_BIN_DIR (default build/bin) and MOG_SKIP_BUILD=1 (use the binaries as they are).
set -eu
cd "$(dirname "$0")/.."
REPO=$(pwd)
# Where the last start ran, so that a plain `stop` finds it.
STATE=${MOG_CLUSTER_STATE:-${TMPDIR:-/tmp}/mogilefs-cluster.last}
if [ -n "${MOG_CLUSTER_DIR:-}" ]; then
  DIR=$MOG_CLUSTER_DIR
elif [ "${1:-}" = "stop" ] && [ -s "$STATE" ]; then
  DIR=$(cat "$STATE")
else
  DIR=/tmp/mogilefs-cluster
fi
BIN=${MOG_BIN_DIR:-$REPO/build/bin}
DB_PORT=${MOG_DB_PORT:-3307}
TRACKER_PORT=${MOG_TRACKER_PORT:-7001}
HTTP_PORT=${MOG_HTTP_PORT:-7500}
SIDE_PORT=${MOG_SIDE_PORT:-7501}
TRACKER=127.0.0.1:$TRACKER_PORT

# Stops the process of one pid file, only if it still is one of ours (a stale pid may have
# been reused). Prints its name when it stopped one.
stop_pidfile() {
  [ -f "$1" ] || return 0
  pid=$(cat "$1")
  rm -f "$1"
  [ -n "$pid" ] || return 0
  cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)
  case "$cmd" in
    *mariadbd*|*mogilefsd*|*mogstored*) ;;
    *) return 0 ;;
  esac
  kill "$pid" 2>/dev/null || return 0
  i=0
  while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  kill -9 "$pid" 2>/dev/null || true
  i=0
  while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
  echo "  stopped $(basename "$1" .pid) (pid $pid)"
}

stop_all() {
  for p in "$DIR"/run/*.pid; do [ -e "$p" ] && stop_pidfile "$p"; done
  return 0
}

if [ "${1:-}" = "stop" ]; then
  stopped=$(stop_all)
  if [ -n "$stopped" ]; then
    echo "$stopped"
    echo "stopped the cluster in $DIR"
  else
    echo "nothing was running in $DIR"
  fi
  [ "$(cat "$STATE" 2>/dev/null || true)" = "$DIR" ] && rm -f "$STATE"
  exit 0
fi

verdict() {  # status message
  echo
  if [ "$1" = 0 ]; then echo "VERDICT: PASS — $2"; else echo "VERDICT: FAIL — $2"; fi
}
trap 'rc=$?; [ $rc -ne 0 ] && verdict 1 "a step failed (exit $rc); logs in $DIR/log"' EXIT

if [ "${MOG_SKIP_BUILD:-0}" != 1 ]; then
  sh scripts/install-deps.sh
  sh scripts/build.sh mogilefsd mogstored mogdbsetup mogadm mogupload mogfetch mogfileinfo \
    mogdelete
fi
# Start afresh: stop an earlier cluster of this directory and forget its database and files,
# so that a re-run never counts an old run's copies.
stop_all
rm -rf "$DIR/db" "$DIR/node2" "$DIR/node3" "$DIR/log" "$DIR/run"
mkdir -p "$DIR/run" "$DIR/log" "$DIR/db" "$DIR/node2/dev1" "$DIR/node3/dev2"
echo "$DIR" >"$STATE"

wait_port() {  # host port seconds
  i=0
  while ! bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; do
    i=$((i + 1))
    if [ $i -gt $(($3 * 10)) ]; then echo "timed out waiting for $1:$2" >&2; return 1; fi
    sleep 0.1
  done
}

echo "== MariaDB (private instance, port $DB_PORT, datadir $DIR/db)"
mariadb-install-db --no-defaults --datadir="$DIR/db" --user=root \
  --auth-root-authentication-method=normal --skip-test-db >"$DIR/log/mariadb-install.log" 2>&1
mariadbd --no-defaults --datadir="$DIR/db" --socket="$DIR/run/mysql.sock" --port="$DB_PORT" \
  --bind-address=127.0.0.1 --pid-file="$DIR/run/mariadb.pid" --user=root --skip-log-bin \
  --innodb-buffer-pool-size=64M >"$DIR/log/mariadb.log" 2>&1 &
wait_port 127.0.0.1 "$DB_PORT" 60

echo "== mogdbsetup"
"$BIN/mogdbsetup" --yes --dbhost=127.0.0.1 --dbport="$DB_PORT" --dbname=mogilefs \
  --dbrootuser=root --dbrootpassword= --dbuser=mogile --dbpassword=mogpass

cat >"$DIR/mogilefsd.conf" <<CONF
db_dsn = DBI:mysql:mogilefs:host=127.0.0.1;port=$DB_PORT
db_user = mogile
db_pass = mogpass
listen = $TRACKER
mogstored_stream_port = $SIDE_PORT
user = root
CONF
echo "== mogilefsd on $TRACKER"
"$BIN/mogilefsd" --config="$DIR/mogilefsd.conf" --pidfile="$DIR/run/mogilefsd.pid" \
  >"$DIR/log/mogilefsd.log" 2>&1 &
wait_port 127.0.0.1 "$TRACKER_PORT" 30

for n in 2 3; do
  echo "== mogstored on 127.0.0.$n:$HTTP_PORT (docroot $DIR/node$n)"
  "$BIN/mogstored" --skipconfig --httplisten=127.0.0.$n:$HTTP_PORT \
    --mgmtlisten=127.0.0.$n:$SIDE_PORT --docroot="$DIR/node$n" \
    --pidfile="$DIR/run/mogstored$n.pid" >"$DIR/log/mogstored$n.log" 2>&1 &
  wait_port 127.0.0.$n "$HTTP_PORT" 30
done

run() { echo "\$ $*"; "$@"; }
M="$BIN/mogadm --trackers=$TRACKER"
echo
echo "== the seed walkthrough"
run $M host add node2 --ip=127.0.0.2 --port=$HTTP_PORT --status=alive
run $M host add node3 --ip=127.0.0.3 --port=$HTTP_PORT --status=alive
run $M device add node2 1
run $M device add node3 2
i=0
until $M check 2>/dev/null | grep -c writeable | grep -q 2; do
  i=$((i + 1)); [ $i -gt 100 ] && break; sleep 0.2
done
run $M check
run $M domain add img
run $M class add img along --mindevcount=2
head -c 200000 /dev/urandom >"$DIR/test.bin"
run "$BIN/mogupload" --trackers=$TRACKER --domain=img --key=test --file="$DIR/test.bin"
run "$BIN/mogfileinfo" --trackers=$TRACKER --domain=img --key=test
info=$("$BIN/mogfileinfo" --trackers=$TRACKER --domain=img --key=test)
url=$(echo "$info" | sed -n 's/^ - \(http.*\)$/\1/p' | head -1)
fid=$(echo "$info" | sed -n 's/^ *fid: *\([0-9]*\)$/\1/p')
name=$(printf '%010d.fid' "$fid")
run curl -sS -o "$DIR/test.out" "$url"
if ! cmp -s "$DIR/test.bin" "$DIR/test.out"; then
  verdict 1 "the download of $url differs from the upload"; trap - EXIT; exit 1
fi
echo "downloaded $url: byte-exact"
copies() { find "$DIR/node2/dev1" "$DIR/node3/dev2" -name "$name" | wc -l; }
echo "waiting for the replicate worker to make the second copy of fid $fid (mindevcount 2)..."
i=0
until [ "$(copies)" -ge 2 ]; do i=$((i + 1)); [ $i -gt 300 ] && break; sleep 0.2; done
replicated=$(copies)
find "$DIR/node2" "$DIR/node3" -name "$name"
run "$BIN/mogdelete" --trackers=$TRACKER --domain=img --key=test
echo "waiting for the delete worker to remove both copies..."
i=0
until [ "$(copies)" -eq 0 ]; do i=$((i + 1)); [ $i -gt 300 ] && break; sleep 0.2; done
left=$(copies)
echo "copies of fid $fid left on disk: $left"
stop_hint="sh scripts/run-cluster.sh stop"
[ "$DIR" != /tmp/mogilefs-cluster ] && stop_hint="MOG_CLUSTER_DIR=$DIR $stop_hint"
echo
cat <<TXT
The cluster is running (logs in $DIR/log):
  tracker   $TRACKER        storage  127.0.0.2:$HTTP_PORT (dev1), 127.0.0.3:$HTTP_PORT (dev2)
  MariaDB   127.0.0.1:$DB_PORT (socket $DIR/run/mysql.sock), database mogilefs, user mogile
Use it by hand:
  $BIN/mogupload --trackers=$TRACKER --domain=img --key=hello --file=/etc/hostname
  $BIN/mogfetch  --trackers=$TRACKER --domain=img --key=hello --file=-
  $BIN/mogadm    --trackers=$TRACKER check
Stop it:
  $stop_hint
TXT
trap - EXIT
if [ "$replicated" -lt 2 ]; then
  verdict 1 "fid $fid has $replicated copy on disk after 60 s, not 2"; exit 1
fi
if [ "$left" -ne 0 ]; then
  verdict 1 "$left copies of the deleted fid $fid are still on disk after 60 s"; exit 1
fi
verdict 0 "uploaded, read back byte-exact, replicated to 2 copies, deleted from both nodes"
