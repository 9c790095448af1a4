#!/usr/bin/env bash
# fmipgw demo (the README's first command runs it once the gateway builds): the gateway on an
# embedded default — throw-away credentials, --no-huge, one net_tap port moved into a network
# namespace, 2 lcores — and fmip-mn playing mobile nodes (tests/e2e/gw_demo.py runs it) that
# fetch the router's path, provision handover keys, hand over and send forged, replayed and
# unknown-PCoA FBUs.  Prints what fmip-mn sent beside what the gateway counted (keys, FBUs
# accepted/rejected by reason) and the provisioning latency from both sides.
# Needs root (network namespace, TAP).  MOBILE_NODES=N changes the number of MNs (default 16).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
GW="$BUILD/app/fmipgw/fmipgw"
CTL="$BUILD/app/fmipctl/fmipctl"
MN="$BUILD/app/fmip-mn/fmip-mn"
for f in "$GW" "$CTL" "$MN"; do
  [ -x "$f" ] || { echo "gw-demo: $f is missing: run scripts/build.sh first" >&2; exit 1; }
done
if [ "$(id -u)" != 0 ]; then
  echo "gw-demo: run as root (it creates a network namespace and a TAP port)" >&2
  exit 1
fi
exec /usr/bin/python3 tests/e2e/gw_demo.py "$GW" "$CTL" "$MN" conf/make-credentials.sh \
  "${MOBILE_NODES:-16}"
