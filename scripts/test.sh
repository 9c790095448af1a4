#!/usr/bin/env bash
# The README's test command: install what is missing, build, run every test (meson suites and
# a bounded run of every fuzz target), and end with the line "N passed, N failed"
# (", N skipped" if any).  Each fuzz target counts as one test (scripts/fuzz.sh --all prints
# one line per target).  FUZZ_SECONDS per target (default 20; 0 skips fuzzing).
# Exit status is non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
FUZZ_SECONDS=${FUZZ_SECONDS:-20}

./scripts/deps.sh || { echo "0 passed, 1 failed"; exit 1; }
if ! ./scripts/build.sh; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

meson test -C "$BUILD" --print-errorlogs --num-processes 2 --timeout-multiplier 2
meson_rc=$?

fuzz_pass=0 fuzz_fail=0
if [ -x scripts/fuzz.sh ] && [ "$FUZZ_SECONDS" != 0 ]; then
  fuzz_out=$(mktemp)
  ./scripts/fuzz.sh --all "$FUZZ_SECONDS" | tee "$fuzz_out"
  fuzz_rc=${PIPESTATUS[0]}
  fuzz_pass=$(grep -c '^fuzz_[a-z0-9_]* *ok ' "$fuzz_out")
  fuzz_fail=$(grep -c '^fuzz_[a-z0-9_]* *FINDING ' "$fuzz_out")
  # the script failed without a per-target line (e.g. the fuzz build broke): one failure
  if [ "$fuzz_rc" -ne 0 ] && [ "$fuzz_fail" -eq 0 ]; then fuzz_fail=1; fi
  rm -f "$fuzz_out"
fi

# Count results from meson's own log; nothing is counted that did not run.
/usr/bin/env python3 - "$BUILD/meson-logs/testlog.json" "$fuzz_pass" "$fuzz_fail" "$meson_rc" <<'PY'
import json, sys
log, fp, ff, rc = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
p = f = s = 0
try:
    with open(log) as fh:
        for line in fh:
            r = json.loads(line).get('result')
            if r in ('OK', 'EXPECTEDFAIL'):
                p += 1
            elif r == 'SKIP':
                s += 1
            else:
                f += 1
except FileNotFoundError:
    f += 1
p += fp
f += ff
if rc != 0 and f == 0:
    f = 1  # meson failed without a per-test failure (e.g. no tests ran)
line = '%d passed, %d failed' % (p, f)
if s:
    line += ', %d skipped' % s
print(line)
sys.exit(1 if f else 0)
PY
