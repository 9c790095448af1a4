#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Plot fmip-mn's latency distributions from its JSON report (--json) with gnuplot: the CDF of
the provisioning latency (first RtSolPr -> key), the re-provisioning latency and the FBack
latency (FBU -> verified FBack), on a logarithmic time axis, as SVG (or PNG by the output's
extension).  The samples' percentiles come from the report (latency_us.*.cdf_percent_us).
usage: fmip-mn-plot.py REPORT.json OUT.svg|OUT.png [TITLE]
"""
import json
import os
import subprocess
import sys
import tempfile

SERIES = (("provisioning", "RtSolPr -> key"), ("reprovisioning", "again -> key"),
          ("fback", "FBU -> FBack"))


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    rep = json.load(open(sys.argv[1]))
    out = sys.argv[2]
    info = rep["fmip_mn"]
    title = sys.argv[3] if len(sys.argv) > 3 else "fmip-mn %s: %d nodes, %.0f s" % (
        info["mode"], info["nodes"], info["seconds"])
    tmp = tempfile.mkdtemp(prefix="fmip-mn-plot-")
    plots = []
    for key, label in SERIES:
        s = rep["latency_us"].get(key, {})
        if not s.get("n"):
            continue
        dat = os.path.join(tmp, key + ".dat")
        with open(dat, "w") as f:
            for pct, us in s["cdf_percent_us"]:
                f.write("%g %d\n" % (max(us, 1) / 1000.0, pct))
        plots.append("'%s' using 1:2 with steps lw 2 title '%s: n %d, p50 %.1f ms, p99 %.1f ms, "
                     "max %.0f ms'" % (dat, label, s["n"], s["p50"] / 1000.0, s["p99"] / 1000.0,
                                       s["max"] / 1000.0))
    if not plots:
        print("fmip-mn-plot: the report has no latency samples")
        return 1
    term = ("pngcairo noenhanced size 900,540" if out.endswith(".png") else
            "svg noenhanced size 900,540 dynamic")
    script = "\n".join([
        "set terminal %s" % term,
        "set output '%s'" % out,
        "set title '%s'" % title.replace("'", ""),
        "set logscale x",
        "set xlabel 'latency (ms)'",
        "set ylabel 'samples at or below (%)'",
        "set yrange [0:100]",
        "set grid",
        "set key outside below",
        "plot " + ", ".join(plots),
    ])
    r = subprocess.run(["gnuplot"], input=script, text=True, capture_output=True)
    for f in os.listdir(tmp):
        os.unlink(os.path.join(tmp, f))
    os.rmdir(tmp)
    if r.returncode != 0:
        print("gnuplot: " + r.stderr)
        return 1
    print("fmip-mn-plot: %s" % out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
