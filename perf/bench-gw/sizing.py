#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""fmipgw sizing model: how many workers and slow-path lcores a gateway needs, from the
per-packet and per-solicitation costs the benchmarks measured (docs/performance.md "Sizing").

It reads the benchmarks' own output files (each optional: a figure whose file is missing is
printed as a placeholder and what depends on it as "?"):

  --fbu   OUT/bench-gw-a.tsv      bench_gw.py --only a: FBU verify, TSC ticks/packet, variant
                                  `gw` (the worker loop), per AT, MN count and page size
  --scale OUT/bench-scale-fbu.tsv bench_scale.py --only f: 1 vs 2 workers (scaling), software
                                  distribution's busy ticks/packet on vs off
  --mem   OUT/bench-scale-mem.tsv bench_scale.py --only f (bench-gw -M): octets per MN of the
                                  key table and of the binding table (1 and 2 workers)
  --prov  OUT/bench-scale.tsv     bench_scale.py --only p: PrRtAdv/s with K slow-path lcores
  --tun   FILE                    bench-tun's stdout (its table): encapsulation/decapsulation
                                  ticks/packet
  --fwd   FILE                    bench_fwd.py's stdout (its table): fmipgw routing
                                  ticks/packet

The model (per second; ticks are TSC ticks, hz the TSC rate of the measured machine or --ghz):
  line rate     R(L)   = ports * Gbit/s * 1e9 / ((L + 20) * 8)     (L-octet frames, + preamble
                                                                    and inter-frame gap)
  packet cost   c      = sum_i f_i * c_i  (+ c_dist with --dist)   (f_i: --mix shares of
                                                                    encap/decap/route/fbu)
  efficiency    e      = (Mpps of 2 workers / Mpps of 1 worker) / 2
  workers       W      = ceil(R * c / (hz * u * e))                 (u: --util)
  flood         W_fbu  = ceil(R * c_fbu / (hz * u * e))             (every frame a forged FBU)
  solicitations P      = handovers/s + MNs / key lifetime           (each arrival needs a key)
  slow lcores   S      = ceil(P / (r_slow * u)),  r_slow = min over K of PrRtAdv/s(K) / K
  restart       T      = MNs / (S * r_slow)                         (re-provision everyone)
  lcores        W' + S + 1 control + 1 housekeeping, W' = max(W, W_fbu) <= --cores
  memory        MNs * (m_key + m_bind(W')),  m_bind(W) = m_bind(1) + (W - 1) * (m_bind(2) -
                m_bind(1))

usage: sizing.py [--fbu F] [--scale F] [--mem F] [--prov F] [--tun F] [--fwd F]
                 [--mns 1000000] [--handovers 2000] [--key-lifetime 3600] [--at 0]
                 [--frames 64,128] [--ports 4] [--gbps 25] [--cores 32] [--util 0.8]
                 [--mix encap=0.45,decap=0.45,route=0.1,fbu=0] [--dist] [--ghz G]
The scenario values (MNs, handover rate, mix, utilisation) are the operator's; the defaults
are only an example.
"""
import argparse
import math
import re

PH = "<filled by the lead's run: %s>"


def read_tsv(path):
    if not path:
        return None
    try:
        return [ln.rstrip("\n").split("\t") for ln in open(path) if ln.strip() and
                not ln.startswith("#")]
    except OSError:
        return None


def nearest(rows, col, want):
    return min(rows, key=lambda r: abs(math.log(max(float(r[col]), 1)) - math.log(want)))


def fbu_cost(a):
    """(ticks/pkt, hz or None, what) of the worker loop's FBU path at the AT and MN count."""
    rows = [r for r in (read_tsv(a.fbu) or []) if r[3] == "gw" and int(r[1]) == a.at]
    if rows:
        rows = [r for r in rows if r[0] == "1"] or rows  # hugepages when measured
        r = nearest(rows, 2, a.mns)
        return float(r[4]), None, "bench-gw (a), AT %s, %s MNs" % (r[1], r[2])
    s = [r for r in (read_tsv(a.scale) or []) if r[2] == "1" and int(r[0]) == a.at]
    if s:
        r = nearest(s, 1, a.mns)
        return float(r[5]), int(r[6]), "bench_scale (f) 1 worker, %s MNs" % r[1]
    return None, None, PH % "--fbu bench-gw-a.tsv"


def scale(a):
    """(efficiency e, distribution ticks/pkt, hz) from bench-scale-fbu.tsv."""
    rows = [r for r in (read_tsv(a.scale) or []) if int(r[0]) == a.at]
    if not rows:
        return None, None, None
    n = nearest(rows, 1, a.mns)[1]
    by = {(r[2], r[3]): r for r in rows if r[1] == n}
    e = d = None
    if ("1", "0") in by and ("2", "0") in by:
        e = float(by[("2", "0")][4]) / float(by[("1", "0")][4]) / 2
    if ("2", "0") in by and ("2", "1") in by:
        d = float(by[("2", "1")][5]) - float(by[("2", "0")][5])
    return e, d, int(rows[0][6])


def table_cost(path, pattern, col):
    """A ticks/packet cell of a benchmark's markdown table (the first row matching)."""
    try:
        text = open(path).read() if path else ""
    except OSError:
        text = ""
    for ln in text.splitlines():
        if re.match(pattern, ln):
            cells = [c.strip() for c in ln.strip().strip("|").split("|")]
            try:
                return float(cells[col])
            except (ValueError, IndexError):
                return None
    return None


def prov_rate(a):
    rows = [r for r in (read_tsv(a.prov) or []) if 1 <= int(r[0]) <= 2]
    return min(float(r[1]) / int(r[0]) for r in rows) if rows else None


def mem(a):
    rows = read_tsv(a.mem) or []
    if not rows:
        return None, None, None
    n = nearest(rows, 0, a.mns)[0]
    by = {r[1]: r for r in rows if r[0] == n}
    key = float(next(iter(by.values()))[2])
    b1 = float(by["1"][3]) if "1" in by else None
    b2 = float(by["2"][3]) if "2" in by else b1
    return key, b1, b2


def fmt(x, f="%.1f"):
    return "?" if x is None else f % x


def ceil_div(x, y):
    return None if x is None or y is None or y <= 0 else max(1, math.ceil(x / y))


def costs(a):
    c_fbu, hz_s, fbu_what = fbu_cost(a)
    e, c_dist, hz_f = scale(a)
    c = {"fbu": c_fbu,
         "encap": table_cost(a.tun, r"^\| encapsulation \|", 5),  # mode | keys | table | frames | Mpps | ticks
         "decap": table_cost(a.tun, r"^\| decapsulation \|", 5),
         "route": table_cost(a.fwd, r"^\| \d+ \| [0-9.]+ \|", 4)}
    hz = a.ghz * 1e9 if a.ghz else hz_f or hz_s
    return c, c_fbu, fbu_what, e, c_dist, hz


def main():
    ap = argparse.ArgumentParser(description="fmipgw sizing model (docs/performance.md)")
    for f in ("fbu", "scale", "mem", "prov", "tun", "fwd"):
        ap.add_argument("--" + f)
    ap.add_argument("--mns", type=int, default=1000000)
    ap.add_argument("--handovers", type=float, default=2000.0)
    ap.add_argument("--key-lifetime", type=float, default=3600.0)
    ap.add_argument("--at", type=int, default=0)
    ap.add_argument("--frames", default="64,128")
    ap.add_argument("--ports", type=int, default=4)
    ap.add_argument("--gbps", type=float, default=25.0)
    ap.add_argument("--cores", type=int, default=32)
    ap.add_argument("--util", type=float, default=0.8)
    ap.add_argument("--mix", default="encap=0.45,decap=0.45,route=0.1,fbu=0")
    ap.add_argument("--dist", action="store_true")
    ap.add_argument("--ghz", type=float)
    a = ap.parse_args()
    mix = {k: float(v) for k, v in (x.split("=") for x in a.mix.split(","))}
    c, c_fbu, fbu_what, e, c_dist, hz = costs(a)
    r_slow = prov_rate(a)
    m_key, b1, b2 = mem(a)

    print("# fmipgw sizing: %d x %.0f GbE, %d cores, %d MNs, %.0f handovers/s, key lifetime "
          "%.0f s, AT %d, utilisation %.2f, software distribution %s" % (
              a.ports, a.gbps, a.cores, a.mns, a.handovers, a.key_lifetime, a.at, a.util,
              "on" if a.dist else "off"))
    print("\n| input | value | from |\n|---|---|---|")
    print("| FBU verify, ticks/pkt | %s | %s |" % (fmt(c_fbu), fbu_what))
    for k, src in (("encap", "--tun bench-tun output"), ("decap", "--tun bench-tun output"),
                   ("route", "--fwd bench_fwd.py output")):
        print("| %s, ticks/pkt | %s | %s |" % (k, fmt(c[k]) if c[k] is not None else PH % src,
                                               src.split()[0] if c[k] is not None else ""))
    print("| distribution, ticks/pkt added | %s | --scale |" % (
        fmt(c_dist) if c_dist is not None else PH % "bench-scale-fbu.tsv"))
    print("| 2-worker efficiency e | %s | --scale |" % (
        fmt(e, "%.2f") if e is not None else PH % "bench-scale-fbu.tsv"))
    print("| PrRtAdv/s per slow-path lcore | %s | --prov |" % (
        fmt(r_slow, "%.0f") if r_slow is not None else PH % "bench-scale.tsv"))
    print("| key table, octets/MN | %s | --mem |" % (
        fmt(m_key, "%.0f") if m_key is not None else PH % "bench-scale-mem.tsv"))
    print("| binding table, octets/MN (1 / 2 workers) | %s / %s | --mem |" % (
        fmt(b1, "%.0f"), fmt(b2, "%.0f")))
    print("| TSC Hz | %s | benchmarks or --ghz |" % fmt(hz, "%.0f"))

    known = all(c[k] is not None for k, f in mix.items() if f > 0)
    cpkt = sum(f * c[k] for k, f in mix.items() if f > 0) if known else None
    if cpkt is not None and a.dist:
        cpkt = None if c_dist is None else cpkt + c_dist
    budget = hz * a.util * e if hz and e else None
    p_rate = a.handovers + a.mns / a.key_lifetime
    s = ceil_div(p_rate, r_slow * a.util if r_slow else None)
    print("\nsolicitations P = %.0f /s -> slow-path lcores S = %s; re-provisioning all %d MNs "
          "after a restart: %s s" % (p_rate, fmt(s, "%d"), a.mns,
                                     fmt(a.mns / (s * r_slow) if s and r_slow else None, "%.0f")))
    print("\n| frame | line rate Mpps | ticks/pkt (mix) | workers W | workers for an FBU "
          "flood | slow lcores S | + control + housekeeping | lcores | fits in %d | memory "
          "(tables) MiB |" % a.cores)
    print("|---|---|---|---|---|---|---|---|---|---|")
    for L in (int(x) for x in a.frames.split(",")):
        rate = a.ports * a.gbps * 1e9 / ((L + 20) * 8)
        w = ceil_div(rate * cpkt if cpkt else None, budget)
        wf = ceil_div(rate * c_fbu if c_fbu else None, budget)
        wmax = max(w, wf) if w and wf else None
        total = wmax + s + 2 if wmax and s else None
        bind = b1 + (wmax - 1) * (b2 - b1) if wmax and b1 is not None else None
        memv = a.mns * (m_key + bind) / (1 << 20) if bind is not None and m_key else None
        fits = "?" if total is None else "yes" if total <= a.cores else "no (%d short)" % (
            total - a.cores)
        print("| %d | %.1f | %s | %s | %s | %s | 2 | %s | %s | %s |" % (
            L, rate / 1e6, fmt(cpkt), fmt(w, "%d"), fmt(wf, "%d"), fmt(s, "%d"),
            fmt(total, "%d"), fits, fmt(memv, "%.0f")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
