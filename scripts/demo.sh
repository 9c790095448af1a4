#!/usr/bin/env bash
# The README's first command: install what is missing, build, and run fmipgw's main job on an
# embedded default with no NIC and no hugepage setup.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
./scripts/deps.sh
./scripts/build.sh
if [ -x "$BUILD/app/fmipgw/fmipgw" ] && [ -x scripts/gw-demo.sh ]; then
  exec ./scripts/gw-demo.sh
fi
# Until the gateway lands: decode the reference capture (RtSolPr, PrRtAdv, FBUs, FBack).
echo "== fmipctl decode tests/vectors/reference.pcap"
exec "$BUILD/app/fmipctl/fmipctl" decode tests/vectors/reference.pcap
