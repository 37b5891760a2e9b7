#!/bin/sh
# The README's test command: installs what is missing, builds, runs every test with ctest.
# Integration tests start their own private MariaDB and daemons on 127.0.0.0/8 and stop them.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
sh scripts/build.sh
cd build
ctest --output-on-failure -j"${JOBS:-2}" --timeout 600 "$@"
