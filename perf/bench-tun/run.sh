#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# bench-tun with and without hugepages (issue 10 item 7; perf/bench-tun/README.md), as root:
#   perf/bench-tun/run.sh BUILD_DIR [MEM_MB] [-- bench-tun options]
# Runs bench-tun once with --no-huge -m MEM_MB (default 2048), then reserves MEM_MB + 256 MiB
# of 2 MiB hugepages with dpdk-hugepages.py and mounts hugetlbfs on a directory of its own
# (EAL --huge-dir), runs it again with -m MEM_MB from hugepages, and puts the machine back as
# it was (also on error or interruption): the previous number of 2 MiB pages, its mount and
# directory removed.  Bench options default to the figures' -n 1048576 -f 4096 -s 10.
set -eu
build=${1:?usage: run.sh BUILD_DIR [MEM_MB] [-- bench-tun options]}
shift
mem=2048
if [ $# -gt 0 ] && [ "$1" != "--" ]; then mem=$1; shift; fi
[ "${1:-}" = "--" ] && shift
[ $# -gt 0 ] || set -- -n 1048576 -f 4096 -s 10
exe=$build/perf/bench-tun/bench-tun
nr=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
[ -x "$exe" ] || { echo "run.sh: $exe not built" >&2; exit 1; }
eal="-l 0-1 --log-level lib.eal:error --file-prefix fmipgw_bench_tun_$$"

echo "## without hugepages (--no-huge -m $mem)"
"$exe" --no-huge --no-pci -m "$mem" $eal -- "$@"

old=$(cat "$nr")
dir=$(mktemp -d /tmp/fmipgw-bench-tun-huge-XXXXXX)
restore() {
	umount "$dir" 2>/dev/null || true
	rmdir "$dir" 2>/dev/null || true
	echo "$old" > "$nr"
}
trap restore EXIT
trap 'exit 1' INT TERM
dpdk-hugepages.py --pagesize 2M --reserve "$((mem + 256))M"
mount -t hugetlbfs -o pagesize=2M nodev "$dir"
echo "## with 2 MiB hugepages (-m $mem; $(cat "$nr") pages reserved, $old before)"
"$exe" --no-pci --huge-dir "$dir" -m "$mem" $eal -- "$@"
