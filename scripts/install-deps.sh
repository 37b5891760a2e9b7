#!/bin/sh
# Installs every Debian 12 package the build, the tests, the benchmarks and the local cluster
# need; packages already present are skipped. Needs root (apt-get).
set -eu
PACKAGES="build-essential cmake pkg-config libboost1.81-dev libboost-url1.81-dev libspdlog-dev
libgtest-dev libgmock-dev default-libmysqlclient-dev libssl-dev mariadb-server mariadb-client
nginx-light curl chromium ffmpeg"
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "installing:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  # shellcheck disable=SC2086
  apt-get install -y --no-install-recommends $missing
fi
