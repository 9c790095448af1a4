#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Plot a benchmark's own Markdown table (bench-tun, bench-fwd, bench_scale print one) as a
bar chart with gnuplot: one group of bars per row, one bar per chosen column; given the
output files of several runs, each bar is the median over the runs with a min-max error bar.
Also writes the medians as a TSV beside the SVG (the figures the docs quote).

usage: plot_table.py --x COL --y COL[,COL...] [--ylabel TEXT] [--title TEXT] --out FILE.svg
                     RUN1.md [RUN2.md ...]
  (separate the --y columns with ";" when a header has a comma)
  COL: a column header of the table, exactly as printed (e.g. "ticks/pkt"); a cell's number
  is its first number ("2037 (2022-2087)" -> 2037).  Rows are matched by their --x cell.
"""
import argparse
import re
import statistics
import subprocess
import sys


def tables(path):
    """The rows (dicts by header) of every Markdown table in the file."""
    rows, head = [], None
    for line in open(path):
        line = line.strip()
        if not line.startswith("|"):
            head = None
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if head is None:
            head = cells
        elif not all(re.fullmatch(r"-+", c) for c in cells):
            rows.append(dict(zip(head, cells)))
    return rows


def number(cell):
    m = re.search(r"-?[0-9]+(?:\.[0-9]+)?", cell.replace(",", ""))
    return float(m.group(0)) if m else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--x", required=True)
    ap.add_argument("--y", required=True)
    ap.add_argument("--ylabel", default="")
    ap.add_argument("--title", default="")
    ap.add_argument("--out", required=True)
    ap.add_argument("runs", nargs="+")
    a = ap.parse_args()
    ycols = a.y.split(";") if ";" in a.y else a.y.split(",")
    order, vals = [], {}
    for path in a.runs:
        for r in tables(path):
            if a.x not in r or not all(c in r for c in ycols):
                continue
            x = r[a.x].replace("`", "")
            if x not in vals:
                order.append(x)
                vals[x] = {c: [] for c in ycols}
            for c in ycols:
                v = number(r[c])
                if v is not None:
                    vals[x][c].append(v)
    if not order:
        sys.exit("plot_table: no row with columns %s and %s in %s" % (a.x, ycols, a.runs))
    tsv = a.out.rsplit(".", 1)[0] + ".tsv"
    with open(tsv, "w") as f:
        f.write("# %s\t%s\n" % (a.x, "\t".join("%s median\tmin\tmax" % c for c in ycols)))
        for x in order:
            f.write('"%s"' % x)
            for c in ycols:
                v = vals[x][c] or [0.0]
                f.write("\t%g\t%g\t%g" % (statistics.median(v), min(v), max(v)))
            f.write("\n")
    plots = ", ".join(
        "'%s' using %d:%d:%d:xtic(1) title '%s'" % (tsv, 2 + 3 * i, 3 + 3 * i, 4 + 3 * i,
                                                    c.replace("_", " "))
        for i, c in enumerate(ycols))
    script = """set terminal svg size 720,400 font 'sans,11'
set output '%s'
set title '%s' noenhanced
set ylabel '%s' noenhanced
set style data histogram
set style histogram errorbars gap 2 lw 1
set style fill solid 0.6 border -1
set key outside below noenhanced
set yrange [0:*]
set xtics noenhanced
plot %s
""" % (a.out, a.title, a.ylabel, plots)
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    print("plot: %s (%d run(s)); medians: %s" % (a.out, len(a.runs), tsv))


if __name__ == "__main__":
    main()
