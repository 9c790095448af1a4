#!/usr/bin/env bash
# Fuzz the classify-and-decode entry point (lib/wire wire_decode_frame + fmipctl's describe
# code, tests/fuzz/fuzz_decode.c) with libFuzzer under ASan + UBSan for SECONDS (default 60).
#
#   scripts/fuzz.sh [SECONDS] [TARGET]
#
# TARGET (default decode) names tests/fuzz/fuzz_TARGET.c and its seeds tests/fuzz/corpus_TARGET
# (tests/fuzz/corpus when there is no such directory), e.g. fbu_diff (issue 14).
#
# Configures build-fuzz (CC=clang, -Dfuzz=true: only lib/wire and tests/fuzz are built), runs
# the target over a temporary copy of tests/fuzz/corpus (the repository's corpus is never
# written), prints the executions reached and the duration from libFuzzer's final stats, and
# exits non-zero on any finding (crash, sanitizer report, leak, timeout, out-of-memory).
# Environment: FUZZ_BUILD_DIR (default <repo>/build-fuzz); FUZZ_KEEP=1 keeps the grown corpus.  One process (the machine has 2 cores).
set -euo pipefail

secs=${1:-60}
target=${2:-decode}
case "$secs" in '' | *[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}

if ! command -v clang >/dev/null; then
	echo "fuzz: clang not found (scripts/deps.sh installs it)" >&2
	exit 1
fi
if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" "$root" -Dfuzz=true -Dbuildtype=debugoptimized \
		-Db_sanitize=address,undefined -Db_lundef=false \
		-Dc_args="-fsanitize=fuzzer-no-link -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
		>/dev/null
fi
ninja -C "$build" "tests/fuzz/fuzz_$target" >/dev/null
seeds=$root/tests/fuzz/corpus_$target
[ -d "$seeds" ] || seeds=$root/tests/fuzz/corpus

work=$(mktemp -d /tmp/fmipgw-fuzz.XXXXXX)
mkdir -p "$work/corpus" "$work/artifacts"
cp "$seeds"/* "$work/corpus/"
echo "fuzz: $secs s over $(ls "$work/corpus" | wc -l) seeds; work dir $work"

set +e
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ASAN_OPTIONS=detect_leaks=1 \
	"$build/tests/fuzz/fuzz_$target" "$work/corpus" \
	-max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -max_len=4096 \
	-dict="$root/tests/fuzz/wire.dict" -artifact_prefix="$work/artifacts/" \
	-print_final_stats=1 >"$work/log" 2>&1
rc=$?
set -e
logs="$work/log"

execs=$(grep -ho 'stat::number_of_executed_units: [0-9]*' $logs | awk '{s += $2} END {print s + 0}')
done_line=$(grep -h '^Done [0-9]* runs in [0-9]* second' $logs | tail -1 || true)
cov=$(grep -ho 'cov: [0-9]*' $logs | tail -1 || true)
findings=$(ls "$work/artifacts" | wc -l)

echo "fuzz: ${done_line:-no final line}"
echo "fuzz: executions $execs, duration ${secs} s, $cov, corpus now $(ls "$work/corpus" | wc -l) inputs"
if [ "$rc" -ne 0 ] || [ "$findings" -ne 0 ] || grep -q 'ERROR: \|runtime error:' $logs; then
	echo "fuzz: FINDING (libFuzzer exit $rc, $findings artifact(s) in $work/artifacts)" >&2
	grep -h -A30 'ERROR: \|runtime error:' $logs | head -60 >&2 || true
	ls "$work/artifacts" >&2
	echo "fuzz: replay with: $build/tests/fuzz/fuzz_$target $work/artifacts/<file>" >&2
	exit 1
fi
if [ -n "${FUZZ_KEEP:-}" ]; then
	echo "fuzz: grown corpus kept in $work/corpus"
else
	rm -rf "$work"
fi
echo "fuzz: no findings"
