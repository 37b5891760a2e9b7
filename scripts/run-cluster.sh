#!/bin/sh
# The README's "run" command: a whole local MogileFS cluster on one machine, then the seed
# walkthrough with our tools. Everything lives under $MOG_CLUSTER_DIR (default
# /tmp/mogilefs-cluster): a private MariaDB (own datadir, socket, port 3307), the tracker on
# 127.0.0.1:7001, storage nodes on 127.0.0.2 and 127.0.0.3 (HTTP 7500, side channel 7501).
#   sh scripts/run-cluster.sh         start (or restart) and run the walkthrough
#   sh scripts/run-cluster.sh stop    stop everything it started
set -eu
cd "$(dirname "$0")/.."
REPO=$(pwd)
DIR=${MOG_CLUSTER_DIR:-/tmp/mogilefs-cluster}
BIN=$REPO/build/bin
DB_PORT=${MOG_DB_PORT:-3307}
TRACKER=127.0.0.1:7001

stop_pidfile() {
  [ -f "$1" ] || return 0
  pid=$(cat "$1")
  if kill "$pid" 2>/dev/null; then
    i=0
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$1"
}

stop_all() {
  for p in "$DIR"/run/*.pid; do [ -e "$p" ] && stop_pidfile "$p"; done
  return 0
}

if [ "${1:-}" = "stop" ]; then
  stop_all
  echo "stopped the cluster in $DIR"
  exit 0
fi

sh scripts/install-deps.sh
sh scripts/build.sh mogilefsd mogstored mogdbsetup mogadm mogupload mogfetch mogfileinfo mogdelete
stop_all
mkdir -p "$DIR/run" "$DIR/log" "$DIR/db" "$DIR/node2/dev1" "$DIR/node3/dev2"

wait_port() {  # host port seconds
  i=0
  while ! bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; do
    i=$((i + 1))
    if [ $i -gt $(($3 * 10)) ]; then echo "timed out waiting for $1:$2" >&2; return 1; fi
    sleep 0.1
  done
}

echo "== MariaDB (private instance, port $DB_PORT, datadir $DIR/db)"
if [ ! -d "$DIR/db/mysql" ]; then
  mariadb-install-db --no-defaults --datadir="$DIR/db" --user=root \
    --auth-root-authentication-method=normal --skip-test-db >"$DIR/log/mariadb-install.log" 2>&1
fi
mariadbd --no-defaults --datadir="$DIR/db" --socket="$DIR/run/mysql.sock" --port="$DB_PORT" \
  --bind-address=127.0.0.1 --pid-file="$DIR/run/mariadb.pid" --user=root --skip-log-bin \
  --innodb-buffer-pool-size=64M >"$DIR/log/mariadb.log" 2>&1 &
wait_port 127.0.0.1 "$DB_PORT" 60

echo "== mogdbsetup"
"$BIN/mogdbsetup" --yes --dbhost=127.0.0.1 --dbport="$DB_PORT" --dbname=mogilefs \
  --dbrootuser=root --dbrootpassword= --dbuser=mogile --dbpassword=mogpass

cat >"$DIR/mogilefsd.conf" <<CONF
db_dsn = DBI:mysql:mogilefs;host=127.0.0.1;port=$DB_PORT
db_user = mogile
db_pass = mogpass
listen = $TRACKER
user = root
CONF
echo "== mogilefsd on $TRACKER"
"$BIN/mogilefsd" --config="$DIR/mogilefsd.conf" --pidfile="$DIR/run/mogilefsd.pid" \
  >"$DIR/log/mogilefsd.log" 2>&1 &
wait_port 127.0.0.1 7001 30

for n in 2 3; do
  echo "== mogstored on 127.0.0.$n:7500 (docroot $DIR/node$n)"
  "$BIN/mogstored" --skipconfig --httplisten=127.0.0.$n:7500 --mgmtlisten=127.0.0.$n:7501 \
    --docroot="$DIR/node$n" --pidfile="$DIR/run/mogstored$n.pid" >"$DIR/log/mogstored$n.log" 2>&1 &
  wait_port 127.0.0.$n 7500 30
done

run() { echo "\$ $*"; "$@"; }
M="$BIN/mogadm --trackers=$TRACKER"
echo
echo "== the seed walkthrough"
run $M host add node2 --ip=127.0.0.2 --port=7500 --status=alive || true
run $M host add node3 --ip=127.0.0.3 --port=7500 --status=alive || true
run $M device add node2 1 || true
run $M device add node3 2 || true
i=0
until $M check 2>/dev/null | grep -c writeable | grep -q 2; do
  i=$((i + 1)); [ $i -gt 100 ] && break; sleep 0.2
done
run $M check
run $M domain add img || true
run $M class add img along --mindevcount=2 || true
head -c 200000 /dev/urandom >"$DIR/test.bin"
run "$BIN/mogupload" --trackers=$TRACKER --domain=img --key=test --file="$DIR/test.bin"
run "$BIN/mogfileinfo" --trackers=$TRACKER --domain=img --key=test
url=$("$BIN/mogfileinfo" --trackers=$TRACKER --domain=img --key=test | sed -n 's/^ - \(http.*\)$/\1/p' | head -1)
run curl -sS -o "$DIR/test.out" "$url"
if cmp -s "$DIR/test.bin" "$DIR/test.out"; then echo "downloaded $url: byte-exact"; else echo "MISMATCH"; exit 1; fi
echo "waiting for the replicate worker to make the second copy (mindevcount 2)..."
i=0
until [ "$(find "$DIR/node2/dev1" "$DIR/node3/dev2" -name '*.fid' | wc -l)" -ge 2 ]; do
  i=$((i + 1)); [ $i -gt 300 ] && break; sleep 0.2
done
find "$DIR/node2" "$DIR/node3" -name '*.fid'
run "$BIN/mogdelete" --trackers=$TRACKER --domain=img --key=test
echo "waiting for the delete worker to remove both copies..."
i=0
until [ "$(find "$DIR/node2/dev1" "$DIR/node3/dev2" -name '*.fid' | wc -l)" -eq 0 ]; do
  i=$((i + 1)); [ $i -gt 300 ] && break; sleep 0.2
done
echo "copies left on disk: $(find "$DIR/node2/dev1" "$DIR/node3/dev2" -name '*.fid' | wc -l)"
echo
cat <<TXT
The cluster is running (logs in $DIR/log):
  tracker   $TRACKER        storage  127.0.0.2:7500 (dev1), 127.0.0.3:7500 (dev2)
  MariaDB   127.0.0.1:$DB_PORT (socket $DIR/run/mysql.sock), database mogilefs, user mogile
Use it by hand:
  $BIN/mogupload --trackers=$TRACKER --domain=img --key=hello --file=/etc/hostname
  $BIN/mogfetch  --trackers=$TRACKER --domain=img --key=hello --file=-
  $BIN/mogadm    --trackers=$TRACKER check
Stop it:
  sh scripts/run-cluster.sh stop
TXT
