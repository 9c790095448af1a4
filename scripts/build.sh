#!/usr/bin/env bash
# Configure (once) and build fmipgw in ${BUILD:-build}. Used by demo.sh and test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
if [ ! -f "$BUILD/build.ninja" ]; then
  meson setup "$BUILD" --buildtype=debugoptimized -Dwerror=true >/dev/null
fi
ninja -C "$BUILD" >/dev/null
