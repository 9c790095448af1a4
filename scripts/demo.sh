#!/usr/bin/env bash
# The README's first command: install what is missing, build, and run fmipgw's main job on an
# embedded default with no NIC and no hugepage setup (scripts/gw-demo.sh; BUILD as build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
./scripts/build.sh
exec ./scripts/gw-demo.sh
