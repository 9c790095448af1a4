#!/usr/bin/env bash
# bench-fbu on 4 KiB pages and on 2 MiB hugepages, one data file and one plot (issue 14).
#
#   perf/bench-fbu/run.sh [BUILD_DIR [OUT_DIR]] [-- bench-fbu options, e.g. -r 9]
#
# BUILD_DIR defaults to build, OUT_DIR to BUILD_DIR/bench-fbu-out.  Writes OUT_DIR/nohuge.md
# and OUT_DIR/huge.md (the tables bench-fbu prints), OUT_DIR/bench-fbu.tsv (bench-fbu -o, both
# runs) and OUT_DIR/bench-fbu.svg (perf/bench-fbu/plot.sh).
# Hugepages: when fewer than 1024 free 2 MiB pages exist, the script runs
# `dpdk-hugepages.py --setup 2G` (needs root); when that is not possible it says so and skips
# the hugepage run.  On exit, whatever happened, it puts the reservation back as it found it
# (and unmounts hugetlbfs if it mounted it): no hugepages stay reserved because of it.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=build
out=
if [ $# -gt 0 ] && [ "$1" != "--" ]; then build=$1; shift; fi
if [ $# -gt 0 ] && [ "$1" != "--" ]; then out=$1; shift; fi
if [ $# -gt 0 ] && [ "$1" = "--" ]; then shift; fi
out=${out:-$build/bench-fbu-out}
bin=$build/perf/bench-fbu/bench-fbu
[ -x "$bin" ] || { echo "bench-fbu: $bin not built (ninja -C $build)" >&2; exit 1; }
mkdir -p "$out"
data=$out/bench-fbu.tsv
: >"$data"
eal=(--no-pci -l 0 --log-level lib.eal:error)

echo "bench-fbu: run 1/2 on 4 KiB pages (--no-huge); load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$bin" --no-huge -m 2560 "${eal[@]}" --file-prefix "bench_fbu_4k_$$" -- -o "$data" "$@" |
	tee "$out/nohuge.md" || { echo "bench-fbu: the 4 KiB run failed" >&2; exit 1; }

nr_before=$(cat /proc/sys/vm/nr_hugepages)
touched=0
hdir=
restore() {
	if [ -n "$hdir" ]; then
		umount "$hdir" 2>/dev/null || true
		rmdir "$hdir" 2>/dev/null || true
	fi
	if [ "$touched" = 1 ]; then
		echo "$nr_before" >/proc/sys/vm/nr_hugepages || true
		echo "bench-fbu: hugepages put back: $(cat /proc/sys/vm/nr_hugepages) reserved"
	fi
}
trap restore EXIT

free_pages() { awk '/^HugePages_Free/ {print $2}' /proc/meminfo; }
huge=()
if [ "$(free_pages)" -ge 1024 ] && grep -q hugetlbfs /proc/mounts; then
	huge=(--file-prefix "bench_fbu_2m_$$")
elif ! command -v dpdk-hugepages.py >/dev/null; then
	echo "bench-fbu: no dpdk-hugepages.py: skipping the hugepage run"
elif [ "$(id -u)" -ne 0 ]; then
	echo "bench-fbu: not root, cannot reserve hugepages: skipping the hugepage run"
else
	hdir=$(mktemp -d /tmp/bench-fbu-huge.XXXXXX)
	touched=1
	if dpdk-hugepages.py --directory "$hdir" --setup 2G && mountpoint -q "$hdir" &&
		[ "$(free_pages)" -ge 1024 ]; then
		huge=(--huge-dir "$hdir" --file-prefix "bench_fbu_2m_$$")
	else
		echo "bench-fbu: dpdk-hugepages.py --setup 2G did not give 1024 free pages" \
			"($(free_pages)) and a mount: skipping the hugepage run"
	fi
fi
if [ ${#huge[@]} -gt 0 ]; then
	echo "bench-fbu: run 2/2 on 2 MiB hugepages ($(free_pages) free)"
	"$bin" "${eal[@]}" "${huge[@]}" -- -o "$data" "$@" | tee "$out/huge.md" ||
		echo "bench-fbu: the hugepage run failed (see above)"
fi

"$root/perf/bench-fbu/plot.sh" "$data" "$out/bench-fbu.svg"
