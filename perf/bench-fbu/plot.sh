#!/usr/bin/env bash
# Plot bench-fbu's data file (bench-fbu -o FILE; perf/bench-fbu/run.sh writes one): TSC ticks
# per packet (median, with the min-max range as error bars) against the number of MNs, one
# line per variant, one panel per AT and page size.  gnuplot (scripts/deps.sh installs it).
#
#   perf/bench-fbu/plot.sh DATA.tsv OUT.svg
set -euo pipefail
data=${1:?usage: plot.sh DATA.tsv OUT.svg}
svg=${2:?usage: plot.sh DATA.tsv OUT.svg}
command -v gnuplot >/dev/null || { echo "plot: gnuplot not found (scripts/deps.sh)" >&2; exit 1; }

# panels present in the data: "hugepages at" pairs
panels=$(awk -F'\t' '!/^#/ {print $1 " " $2}' "$data" | sort -u)
n=$(printf '%s\n' "$panels" | grep -c . || true)
[ "$n" -gt 0 ] || { echo "plot: no data in $data" >&2; exit 1; }
variants=$(awk -F'\t' '!/^#/ {print $4}' "$data" | awk '!seen[$0]++' | tr '\n' ' ')
cols=2
rows=$(((n + cols - 1) / cols))

{
	echo "set terminal svg size 1000,$((420 * rows)) dynamic font 'sans,11'"
	echo "set output '$svg'"
	echo "set datafile separator '\t'"
	echo "set datafile commentschars '#'"
	echo "set logscale x"
	echo "set xlabel 'mobile nodes (keys)'"
	echo "set ylabel 'TSC ticks per packet (median, min..max)'"
	echo "set key top left font ',9'"
	echo "set grid"
	echo "set yrange [0:*]"
	echo "set multiplot layout $rows,$cols"
	printf '%s\n' "$panels" | while read -r huge at; do
		title="AT $at, $([ "$huge" = 1 ] && echo '2 MiB hugepages' || echo '4 KiB pages (--no-huge)')"
		echo "set title '$title'"
		plot="plot"
		sep=""
		for v in $variants; do
			plot="$plot$sep '$data' using (\$1==$huge && \$2==$at && strcol(4) eq '$v' ? \$3 : 1/0):5:6:7 with yerrorlines title '$v'"
			sep=","
		done
		echo "$plot"
	done
	echo "unset multiplot"
} | gnuplot
echo "plot: $svg"
