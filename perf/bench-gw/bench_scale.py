#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""fmipgw scaling inside one box, each figure beside its baseline from the same run.

 (p) provisioning: PrRtAdv per second with K = 0 (the control lcore does the work), 1, 2 and 3
     slow-path lcores ([lcores] slow), the real fmipgw replaying signed RtSolPr of M CGAs
     through net_pcap (rate from the PrRtAdv timestamps in tx_pcap), beside
     `openssl speed -multi K rsa2048` sign/s measured in the same run.  The lcores are mapped
     onto this machine's CPUs with --lcores; every lcore that is not a slow-path lcore runs
     with [lcores] idle = adaptive so that it leaves the CPUs to them.  Target (K slow lcores
     on K free CPUs): >= 0.85 x openssl speed -multi K.  On 2 CPUs K = 2 is the last figure
     that has a CPU per slow lcore; K = 3 shows what oversubscription does.
 (f) FBU verification with 1 and 2 workers (bench-gw -w: the gateway's worker loop, one
     net_pcap infinite_rx RX queue per worker, each worker's frames a disjoint set of MNs —
     the ones the gateway's distribution hash gives it, as RSS would), and 2 workers on one RX
     queue with the software distribution (bench-gw -w 2 -d, the same shares), interleaved run
     by run.  Main lcore on CPU 0 beside worker 0 (it sleeps), worker 1 on CPU 1: the same
     place for worker 0 in every configuration.  Target (two CPUs free for the workers):
     2 workers >= 1.8 x 1 worker.  The distribution's cost: busy ticks per packet of all
     workers with it minus without.  bench-gw -M beside: key and binding table memory per MN.

Data for perf/bench-gw/sizing.py: OUT/bench-scale.tsv (p), OUT/bench-scale-fbu.tsv and
OUT/bench-scale-mem.tsv (f); OUT is --out (default BUILD_DIR).  Every bench-gw run must pass
its exact decision check, every gateway run must answer each solicitation, or the script stops.

usage: bench_scale.py BUILD_DIR SOURCE_DIR [--quick] [--runs N] [--only p,f] [--out DIR]
                      [--mns 1000,100000] [--at 0,1] [--secs S]   (figures: median, min, max)
       bench_scale.py BUILD_DIR SOURCE_DIR --smoke    (meson test bench-scale-smoke: a few
                      seconds of each part, checks only, no figures)
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "e2e"))
import fmippeer as P  # noqa: E402
from bench_gw import creds, read_pcap_ts  # noqa: E402
from test_gw_e2e import MN_MAC  # noqa: E402
from fmippeer_handover import write_pcap  # noqa: E402

EAL = ["--no-huge", "--no-pci", "-m", "1024", "--log-level", "lib.eal:error"]
NCPU = os.cpu_count() or 2


def lcores(k):
    """control 0 and worker 1 on CPU 0 (adaptive idle), slow lcores 2.. on CPUs 1, 0, 1, ..."""
    return ",".join(["0@0", "1@0"] + ["%d@%d" % (2 + i, (1 + i) % NCPU) for i in range(k)])


def rtsolprs(src, n, m):
    """n signed RtSolPr of m Sec 0 CGAs of mn1's key (timestamps spaced for the replay
    window), each asking for a key wrapped with mn2's."""
    keys = os.path.join(src, "tests", "vectors", "keys")
    mn1 = P.load_key(os.path.join(keys, "mn1.key.pem"))
    mn2 = P.load_key(os.path.join(keys, "mn2.key.pem"))
    p1 = open(os.path.join(keys, "mn1.cga.params"), "rb").read()
    der = P.cga_params_pubkey_der(p1)
    ids = []
    for _ in range(m):
        params = os.urandom(16) + p1[16:24] + b"\0" + der
        ids.append((P.cga_address(params, 0), params))
    base = P.now48() + (5 << 16)
    frames = []
    for i in range(n):
        cga, params = ids[i % m]
        pkt = P.rtsolpr(cga, P.ALL_ROUTERS, MN_MAC, params, mn1, mn2.public_key(), 0,
                        ts=base + (i // m) * 16)
        frames.append(P.eth(P.mcast_mac(P.ALL_ROUTERS), MN_MAC, pkt))
    return frames


def run_gw(build, d, tmp, inp, k, n, dur=None):
    """One gateway run with k slow lcores: (PrRtAdv/s, stats, PrRtAdv count)."""
    conf = os.path.join(tmp, "gw%d.conf" % k)
    slow = ",".join(str(2 + i) for i in range(k)) or "none"
    open(conf, "w").write(
        "[router]\nkey_file = {d}/router.key.pem\nparams_file = {d}/router.cga.params\n"
        "cert_file = {d}/router.chain.pem\nanchor_file = {d}/trust-anchor.pem\n"
        "prefixes = 2003::/64\n[par]\naddresses = 2003::1\n[ports]\nmbufs = 32767\n"
        "pass_through = drop\n[rings]\nring_size = 8192\n[policer]\nrtsolpr_rate = 0\n"
        "[lcores]\nslow = {s}\nidle = adaptive\nidle_sleep_us = 500\n".format(d=d, s=slow))
    outp = os.path.join(tmp, "out%d.pcap" % k)
    js = os.path.join(tmp, "s%d.json" % k)
    dur = dur or max(6.0, n / (1500.0 * max(1, k)) + 4)
    r = subprocess.run([os.path.join(build, "app", "fmipgw", "fmipgw")] + EAL +
                       ["--file-prefix", "bscale_%d_%d" % (k, os.getpid()),
                        "--lcores", lcores(k),
                        "--vdev", "net_pcap0,rx_pcap=%s,tx_pcap=%s" % (inp, outp),
                        "--", "--config", conf, "--duration", str(dur), "--stats-json", js],
                       capture_output=True, text=True)
    shutil.rmtree("/var/run/dpdk/bscale_%d_%d" % (k, os.getpid()), ignore_errors=True)
    if r.returncode != 0 or not os.path.exists(js):
        raise RuntimeError("fmipgw (slow = %s) failed: %s" % (slow, r.stderr[-800:]))
    s = json.load(open(js))
    out = [t for t, fr in read_pcap_ts(outp) if len(fr) > 60 and fr[14 + 40] == 154]
    if len(out) < 2:
        raise RuntimeError("no PrRtAdv out (slow = %s)" % slow)
    # the steady part: drop the first and last 5 % (start-up, the tail of one lcore)
    a, b = len(out) // 20, len(out) - 1 - len(out) // 20
    return (b - a) / (out[b] - out[a]), s, len(out)


def openssl_multi(k, bits=2048):
    """`openssl speed -multi K rsaBITS` sign/s (the sum over its K processes)."""
    args = ["openssl", "speed", "-seconds", "2"] + (["-multi", str(k)] if k > 1 else []) + \
        ["rsa%d" % bits]
    r = subprocess.run(args, capture_output=True, text=True)
    m = re.search(r"^rsa\s+%d bits\s+\S+s\s+\S+s\s+([0-9.]+)" % bits, r.stdout, re.M)
    return float(m.group(1))


# ---- (f) -------------------------------------------------------------------------------------

FBU_CONFIGS = [  # label, workers, software distribution
    ("1 worker", 1, False),
    ("2 workers, 2 RX queues", 2, False),
    ("2 workers, 1 RX queue + software distribution", 2, True),
]


def gw_lcores(w):
    """Main lcore 0 on CPU 0 (it sleeps), worker i on CPU i (mod the CPUs)."""
    return ",".join(["0@0"] + ["%d@%d" % (1 + i, i % NCPU) for i in range(w)])


def run_bench_gw(build, w, dist, n, at, secs, windows, mem=False, lossy_ok=False):
    """One bench-gw run: dict of its "# data" (and "# mem") line; stops on a failed check
    (and on an inconclusive one, distribution drops, unless lossy_ok: the -d runs, whose
    open-loop replay overflows worker 1's ring even on a quiet machine, and the smoke test on a
    loaded machine)."""
    prefix = "bscale_gw_%d_%d_%d" % (w, dist, os.getpid())
    m_mb = 768 + (n + w * 32768) * 2560 // (1 << 20) + n * (1024 if mem else 512) // (1 << 20)
    args = [os.path.join(build, "perf", "bench-gw", "bench-gw"), "--no-huge", "--no-pci",
            "-m", str(m_mb), "--lcores", gw_lcores(w), "--file-prefix", prefix,
            "--log-level", "lib.eal:error", "--", "-n", str(n), "-t", str(at), "-s", str(secs),
            "-r", str(windows), "-w", str(w), "-q"] + (["-d"] if dist else []) + \
        (["-M"] if mem else [])
    r = subprocess.run(args, capture_output=True, text=True)
    shutil.rmtree("/var/run/dpdk/" + prefix, ignore_errors=True)
    data = re.search(r"^# data\t(.*)$", r.stdout, re.M)
    inconclusive = r.returncode == 3 and "# check: inconclusive" in r.stdout
    drops = re.search(r"^# check: (\d+) packets dropped on a full distribution ring", r.stdout,
                      re.M)
    if inconclusive and lossy_ok and data is not None:
        print("# bench-gw -w %d -d: %s packets dropped on the distribution ring (worker 0 hands "
              "on faster than worker 1 verifies: open-loop replay), checked loosely: no false "
              "accept, every FBU decided" % (w, drops.group(1) if drops else "some"))
    elif r.returncode != 0 or "# check: ok" not in r.stdout or data is None:
        raise RuntimeError("bench-gw -w %d%s failed (rc %d): %s\n%s\n%s" % (
            w, " -d" if dist else "", r.returncode, " ".join(args), r.stdout[-1500:],
            r.stderr[-800:]))
    f = data.group(1).split("\t")
    out = {"workers": int(f[0]), "dist": int(f[1]), "at": int(f[2]), "mns": int(f[3]),
           "mpps": float(f[4]), "ticks": float(f[5]), "hz": int(f[6]),
           "per": [float(x) for x in f[7:]], "argv": args,
           "drops": int(drops.group(1)) if inconclusive and drops else 0}
    mm = re.search(r"^# mem\t(.*)$", r.stdout, re.M)
    if mm:
        g = mm.group(1).split("\t")
        out["mem"] = (int(g[0]), int(g[1]), float(g[2]), float(g[3]))
    return out


def part_f(build, out, ats, mns, runs, secs, windows, smoke):
    rows, mems = [], []
    if not smoke:
        print("## (f) FBU verification, 1 and 2 workers (bench-gw, %d run(s) of %d window(s) "
              "of %.1f s each, interleaved)\n" % (runs, windows, secs))
        print("| AT | MNs | configuration | lcore map | total Mpps median (min-max) | Mpps per "
              "worker | busy ticks/pkt, all workers | vs 1 worker | target |")
        print("|---|---|---|---|---|---|---|---|---|")
    for at in ats:
        for n in mns:
            res = {c[0]: [] for c in FBU_CONFIGS}
            for _ in range(runs):
                for label, w, dist in FBU_CONFIGS:
                    if dist and smoke and NCPU < 2:
                        continue  # one CPU: worker 1 cannot keep up with the hand-over
                    res[label].append(run_bench_gw(build, w, dist, n, at, secs, windows,
                                                   mem=not dist, lossy_ok=smoke or dist))
            if smoke:
                print("smoke: AT %d, %d MNs: bench-gw -w 1, -w 2, -w 2 -d: every decision "
                      "checked; ok" % (at, n))
                continue
            base = statistics.median(x["mpps"] for x in res[FBU_CONFIGS[0][0]])
            cpu_off = None
            for label, w, dist in FBU_CONFIGS:
                xs = res[label]
                mp = [x["mpps"] for x in xs]
                med = statistics.median(mp)
                ticks = statistics.median(x["ticks"] for x in xs)
                per = " / ".join("%.2f" % statistics.median(x["per"][i] for x in xs)
                                 for i in range(w))
                if w == 2 and not dist:
                    cpu_off = ticks
                    target = ">= 1.8: %s" % ("met" if med >= 1.8 * base else "MISSED") \
                        if NCPU >= 2 else "(one CPU: no target)"
                elif dist and cpu_off is not None:
                    target = "distribution: %+.1f ticks/pkt" % (ticks - cpu_off)
                    lost = sum(x["drops"] for x in xs)
                    if lost:
                        target += " (lossy: %d dropped on the ring in %d runs)" % (lost, len(xs))
                else:
                    target = "-"
                print("| %d | %d | %s | `%s` | %.2f (%.2f-%.2f) | %s | %.1f | %.2f | %s |" % (
                    at, n, label, gw_lcores(w), med, min(mp), max(mp), per, ticks, med / base,
                    target), flush=True)
                rows.append((at, n, w, int(dist), med, ticks, xs[0]["hz"], per))
                mems += [x["mem"] for x in xs if "mem" in x][:1]
    if smoke:
        return
    with open(os.path.join(out, "bench-scale-fbu.tsv"), "w") as f:
        f.write("# at\tmns\tworkers\tdist\ttotal_mpps\tbusy_ticks_per_pkt\ttsc_hz\t"
                "per_worker_mpps\n")
        for r in rows:
            f.write("%d\t%d\t%d\t%d\t%.4f\t%.2f\t%d\t%s\n" % (r[:7] + (r[7].replace(" / ", ","),)))
    with open(os.path.join(out, "bench-scale-mem.tsv"), "w") as f:
        f.write("# mns\tworkers\tkeytab_octets_per_mn\tbinding_octets_per_mn\n")
        for m in mems:
            f.write("%d\t%d\t%.1f\t%.1f\n" % m)
    print("\n# data: %s, %s" % (os.path.join(out, "bench-scale-fbu.tsv"),
                                os.path.join(out, "bench-scale-mem.tsv")))
    print("# bench-gw command (one run): %s\n" % " ".join(res[FBU_CONFIGS[1][0]][0]["argv"]))


# ---- (p) -------------------------------------------------------------------------------------

def part_p(build, src, out, runs, quick, smoke, tmp):
    n, m = (24, 8) if smoke else (1200, 120) if quick else (6000, 256)
    d = creds(tmp, src, build)
    inp = os.path.join(tmp, "rts.pcap")
    write_pcap(inp, rtsolprs(src, n, m))
    if smoke:
        for k in (1, 2):
            _, st, sent = run_gw(build, d, tmp, inp, k, n, dur=3.0)
            if sent != n or st["keys_provisioned"] != m or st["keys_existing"] != n - m:
                raise RuntimeError("slow = %d: %d PrRtAdv for %d RtSolPr, keys %d new + %d "
                                   "existing (want %d + %d)" % (
                                       k, sent, n, st["keys_provisioned"], st["keys_existing"],
                                       m, n - m))
            print("smoke: %d slow-path lcore(s): every RtSolPr answered once; ok" % k)
        return
    rows = []
    print("## (p) PrRtAdv/s (RSA-2048 router key, %d RtSolPr of %d CGAs, %d run(s) each)\n"
          % (n, m, runs))
    print("| slow lcores K | lcore map | PrRtAdv/s median (min-max) | `openssl speed -multi "
          "max(K,1)` sign/s median | ratio | target | keys new + existing |")
    print("|---|---|---|---|---|---|---|")
    for k in (0, 1, 2, 3):
        rates, base, last = [], [], None
        for _ in range(runs):
            rate, last, _ = run_gw(build, d, tmp, inp, k, n)
            rates.append(rate)
            base.append(openssl_multi(max(k, 1)))
        med, bmed = statistics.median(rates), statistics.median(base)
        target = ">= 0.85: %s" % ("met" if med >= 0.85 * bmed else "MISSED") \
            if 1 <= k <= NCPU else "(no CPU per lcore)"
        rows.append((k, med, bmed))
        print("| %d | `%s` | %.0f (%.0f-%.0f) | %.0f | %.2f | %s | %d + %d |" % (
            k, lcores(k), med, min(rates), max(rates), bmed, med / bmed, target,
            last["keys_provisioned"], last["keys_existing"]), flush=True)
    with open(os.path.join(out, "bench-scale.tsv"), "w") as f:
        f.write("# k\tprrtadv_per_s\topenssl_multi_sign_per_s\n")
        for k, med, bmed in rows:
            f.write("%d\t%.1f\t%.1f\n" % (k, med, bmed))
    print("\n# data: %s\n" % os.path.join(out, "bench-scale.tsv"))


def opt(name, default):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else default


def main():
    build, src = sys.argv[1], sys.argv[2]
    quick, smoke = "--quick" in sys.argv, "--smoke" in sys.argv
    runs = 1 if smoke else int(opt("--runs", 1 if quick else 3))
    only = opt("--only", "p,f").split(",")
    out = opt("--out", build)
    mns = [256] if smoke else [int(x) for x in opt("--mns", "1000" if quick
                                                    else "1000,100000").split(",")]
    ats = [0] if smoke else [int(x) for x in opt("--at", "0,1").split(",")]
    secs = 0.3 if smoke else float(opt("--secs", 1.0 if quick else 2.0))
    windows = 1 if smoke else 3
    os.makedirs(out, exist_ok=True)
    print("# bench_scale on %d CPUs, %s; command: %s" % (
        NCPU, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), " ".join(sys.argv)))
    print("# load average before: %s\n" % open("/proc/loadavg").read().split()[:3])
    tmp = tempfile.mkdtemp(prefix="fmipgw-bench-scale-")
    try:
        if "f" in only:
            part_f(build, out, ats, mns, runs, secs, windows, smoke)
        if "p" in only:
            part_p(build, src, out, runs, quick, smoke, tmp)
        print("# load average after: %s" % open("/proc/loadavg").read().split()[:3])
    except RuntimeError as e:
        print("bench_scale: FAILED: %s" % e, file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
