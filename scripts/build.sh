#!/bin/sh
# Configures and builds into build/ (binaries in build/bin/): everything, or only the targets
# named as arguments.
set -eu
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" >/dev/null
if [ $# -gt 0 ]; then
  for t in "$@"; do set -- "$@" --target "$t"; shift; done
fi
cmake --build build -j"${JOBS:-2}" "$@"
