#!/usr/bin/env bash
# Fuzz fmipgw's parsers with libFuzzer under ASan + UBSan (docs/fuzzing.md).
#
#   scripts/fuzz.sh [SECONDS]                 fuzz_decode for SECONDS (default 60), as before
#   scripts/fuzz.sh --target NAME [SECONDS]   one target (fuzz_NAME, e.g. send_verify)
#   scripts/fuzz.sh --all [SECONDS]           every target for SECONDS each, one after the other
#   scripts/fuzz.sh --list                    the target names
#   --runs N (after --all or --target NAME)   stop each target after N executions (libFuzzer
#                                             -runs=N), SECONDS still the cap: the campaign is
#                                             nice -n 19 scripts/fuzz.sh --all --runs 10000000 3600
#
# Configures build-fuzz (CC=clang, -Dfuzz=true: the libraries without DPDK, fmipctl's decode
# code and tests/fuzz), builds the targets, and runs each over a temporary copy of its seed
# corpus (tests/fuzz/corpus_NAME/, fuzz_decode's is tests/fuzz/corpus/; the repository's corpus
# is never written), with tests/fuzz/fuzz_NAME.dict (else wire.dict) and the extra libFuzzer
# flags of tests/fuzz/fuzz_NAME.options, if present.  One process at a time (2 cores).
#
# Output: for each target one line
#   fuzz_NAME  ok|FINDING  execs N  exec/s N  cov N  ft N  corpus A->B  findings N  S s
# (execs: libFuzzer's number_of_executed_units; cov/ft: its final edge and feature counts;
# corpus: seeds before, inputs after; findings: crash/leak/timeout/oom artifacts or sanitizer
# reports).  On a finding the sanitizer report and the reproducer's path follow on stderr, and
# the exit status is 1.  The targets are listed by meson introspection of build-fuzz, i.e. the
# rows of tests/fuzz/meson.build.
# (S s: the seconds the run took.)
# Environment: FUZZ_BUILD_DIR (default <repo>/build-fuzz); FUZZ_KEEP=1 keeps the work
# directories (grown corpora); FUZZ_TARGETS="a b ..." runs those targets of --all, in that
# order (e.g. the fastest first); one libFuzzer process at a time (no -jobs/-workers).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
mode=one target=decode secs=60 runs=

usage() {
	sed -n '2,11p' "$0" >&2
	exit 2
}
case "${1:-}" in
--all) mode=all; shift ;;
--list) mode=list; shift ;;
--target) [ $# -ge 2 ] || usage; target=$2; shift 2 ;;
-h | --help) usage ;;
esac
if [ "${1:-}" = --runs ]; then
	[ $# -ge 2 ] && [ "$mode" != list ] || usage
	runs=$2
	shift 2
	case "$runs" in '' | *[!0-9]*) usage ;; esac
fi
[ $# -le 1 ] || usage
secs=${1:-60}
case "$secs" in '' | *[!0-9]*) usage ;; esac

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

# The targets: executables named fuzz_* in tests/fuzz of the fuzz build.
targets=$(meson introspect --targets "$build" | python3 -c '
import json, sys
for t in json.load(sys.stdin):
    if t["type"] == "executable" and t["name"].startswith("fuzz_"):
        print(t["name"][len("fuzz_"):])' | sort)
if [ "$mode" = list ]; then
	echo "$targets"
	exit 0
fi
if [ "$mode" = one ]; then
	echo "$targets" | grep -qx "$target" || {
		echo "fuzz: no target '$target' (scripts/fuzz.sh --list)" >&2
		exit 2
	}
	targets=$target
elif [ -n "${FUZZ_TARGETS:-}" ]; then
	for t in $FUZZ_TARGETS; do
		echo "$targets" | grep -qx "$t" || {
			echo "fuzz: no target '$t' (scripts/fuzz.sh --list)" >&2
			exit 2
		}
	done
	targets=$FUZZ_TARGETS
fi
ninja -C "$build" $(for t in $targets; do echo "tests/fuzz/fuzz_$t"; done) >/dev/null

# run NAME: fuzz one target for $secs seconds; prints its line; returns 1 on a finding.
run() {
	local name=$1 seeds work dict opts rc execs eps cov ft n0 n1 findings status t0 t1
	seeds=$root/tests/fuzz/corpus_$name
	[ "$name" = decode ] && seeds=$root/tests/fuzz/corpus
	dict=$root/tests/fuzz/fuzz_$name.dict
	[ -f "$dict" ] || dict=$root/tests/fuzz/wire.dict
	opts=
	[ -f "$root/tests/fuzz/fuzz_$name.options" ] && opts=$(cat "$root/tests/fuzz/fuzz_$name.options")
	work=$(mktemp -d "/tmp/fmipgw-fuzz-$name.XXXXXX")
	mkdir -p "$work/corpus" "$work/artifacts"
	[ -d "$seeds" ] && cp "$seeds"/* "$work/corpus/" 2>/dev/null || true
	n0=$(ls "$work/corpus" | wc -l)

	t0=$(date +%s)
	set +e
	# shellcheck disable=SC2086 # $opts is a list of flags
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ASAN_OPTIONS=detect_leaks=1 \
		"$build/tests/fuzz/fuzz_$name" "$work/corpus" \
		-max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -max_len=4096 \
		-dict="$dict" -artifact_prefix="$work/artifacts/" -print_final_stats=1 \
		${runs:+-runs="$runs"} $opts >"$work/log" 2>&1
	rc=$?
	set -e
	t1=$(date +%s)
	execs=$(grep -ho 'stat::number_of_executed_units: [0-9]*' "$work/log" | awk '{print $2}' | tail -1)
	eps=$(grep -ho 'stat::average_exec_per_sec: *[0-9]*' "$work/log" | awk '{print $2}' | tail -1)
	cov=$(grep -ho 'cov: [0-9]*' "$work/log" | tail -1 | awk '{print $2}')
	ft=$(grep -ho 'ft: [0-9]*' "$work/log" | tail -1 | awk '{print $2}')
	n1=$(ls "$work/corpus" | wc -l)
	findings=$(ls "$work/artifacts" | wc -l)
	if [ "$findings" -eq 0 ] && { [ "$rc" -ne 0 ] || grep -q 'ERROR: \|runtime error:' "$work/log"; }; then
		findings=1
	fi
	status=ok
	[ "$findings" -eq 0 ] || status=FINDING
	printf '%-24s %-7s execs %s  exec/s %s  cov %s  ft %s  corpus %s->%s  findings %s  %s s\n' \
		"fuzz_$name" "$status" "${execs:-0}" "${eps:-0}" "${cov:-0}" "${ft:-0}" "$n0" "$n1" \
		"$findings" "$((t1 - t0))"
	if [ "$status" != ok ]; then
		{
			echo "fuzz_$name: libFuzzer exit $rc; artifacts in $work/artifacts:"
			ls "$work/artifacts"
			grep -h -A40 'ERROR: \|runtime error:' "$work/log" | head -60 || true
			echo "fuzz_$name: replay with $build/tests/fuzz/fuzz_$name $work/artifacts/<file>"
			echo "fuzz_$name: log $work/log"
		} >&2
		return 1
	fi
	if [ -n "${FUZZ_KEEP:-}" ]; then
		echo "fuzz_$name: grown corpus kept in $work/corpus"
	else
		rm -rf "$work"
	fi
	return 0
}

fail=0
for t in $targets; do
	run "$t" || fail=1
done
exit $fail
