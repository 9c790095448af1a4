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

usage: bench_scale.py BUILD_DIR SOURCE_DIR [--quick] [--runs N]   (figures: median, min, max)
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
from bench_gw import creds, read_pcap_ts, write_pcap, MN_MAC  # noqa: E402

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


def run_gw(build, d, tmp, inp, k, n):
    """One gateway run with k slow lcores: (PrRtAdv/s, stats)."""
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
    dur = max(6.0, n / (1500.0 * max(1, k)) + 4)
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
    return (b - a) / (out[b] - out[a]), s


def openssl_multi(k, bits=2048):
    """`openssl speed -multi K rsaBITS` sign/s (the sum over its K processes)."""
    args = ["openssl", "speed", "-seconds", "2"] + (["-multi", str(k)] if k > 1 else []) + \
        ["rsa%d" % bits]
    r = subprocess.run(args, capture_output=True, text=True)
    m = re.search(r"^rsa\s+%d bits\s+\S+s\s+\S+s\s+([0-9.]+)" % bits, r.stdout, re.M)
    return float(m.group(1))


def main():
    build, src = sys.argv[1], sys.argv[2]
    quick = "--quick" in sys.argv
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else (1 if quick
                                                                                      else 3)
    n, m = (1200, 120) if quick else (6000, 256)
    print("# bench_scale on %d CPUs, %s; command: %s" % (
        NCPU, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), " ".join(sys.argv)))
    print("# load average before: %s\n" % open("/proc/loadavg").read().split()[:3])
    tmp = tempfile.mkdtemp(prefix="fmipgw-bench-scale-")
    rows = []
    try:
        d = creds(tmp, src, build)
        inp = os.path.join(tmp, "rts.pcap")
        write_pcap(inp, rtsolprs(src, n, m))
        print("## (p) PrRtAdv/s (RSA-2048 router key, %d RtSolPr of %d CGAs, %d run(s) each)\n"
              % (n, m, runs))
        print("| slow lcores K | lcore map | PrRtAdv/s median (min-max) | `openssl speed -multi "
              "max(K,1)` sign/s median | ratio | target | keys new + existing |")
        print("|---|---|---|---|---|---|---|")
        for k in (0, 1, 2, 3):
            rates, base, last = [], [], None
            for _ in range(runs):
                rate, last = run_gw(build, d, tmp, inp, k, n)
                rates.append(rate)
                base.append(openssl_multi(max(k, 1)))
            med, bmed = statistics.median(rates), statistics.median(base)
            target = ">= 0.85: %s" % ("met" if med >= 0.85 * bmed else "MISSED") \
                if 1 <= k <= NCPU else "(no CPU per lcore)"
            rows.append((k, med, bmed))
            print("| %d | `%s` | %.0f (%.0f-%.0f) | %.0f | %.2f | %s | %d + %d |" % (
                k, lcores(k), med, min(rates), max(rates), bmed, med / bmed, target,
                last["keys_provisioned"], last["keys_existing"]), flush=True)
        with open(os.path.join(build, "bench-scale.tsv"), "w") as f:
            f.write("# k\tprrtadv_per_s\topenssl_multi_sign_per_s\n")
            for k, med, bmed in rows:
                f.write("%d\t%.1f\t%.1f\n" % (k, med, bmed))
        print("\n# data: %s" % os.path.join(build, "bench-scale.tsv"))
        print("# load average after: %s" % open("/proc/loadavg").read().split()[:3])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
