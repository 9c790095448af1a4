# SPDX-License-Identifier: BSD-3-Clause
"""bench-gw (a): FBU verification through fmipgw's real worker loop (bench-gw) beside
bench-fbu's (a) from the same run: both ATs, each MN count, on 4 KiB pages and (when they can
be had) on 2 MiB hugepages, the same ipsec-mb manager in both programs.  One table, one data
file in bench-fbu's format (variant "gw" beside bench-fbu's "a"; bench-fbu -o writes its own
lines into it), and the plot perf/bench-fbu/plot.sh draws from it.  Target: bench-gw (a) >=
0.9 x bench-fbu (a) in throughput (issue 14).

Hugepages as perf/bench-fbu/run.sh: when too few are free, `dpdk-hugepages.py --setup` on a
hugetlbfs mount of our own (root only; skipped with a message otherwise), and on exit the
reservation is put back as it was and the mount removed.
"""
import contextlib
import os
import re
import shutil
import subprocess
import tempfile

TARGET = 0.9
LOG = ["--log-level", "lib.eal:error"]
FBU_HEADER = "# bench-fbu: hugepages\tat\tmns\tvariant\tmedian\tmin\tmax\tmpps\tdepth\n"


def mem_mb(n):
    """EAL memory bench-gw needs for n MNs: infinite_rx keeps every frame in an mbuf
    (n + 16384 of ~2.4 KiB), the key table, the rest."""
    # x2: on 4 KiB pages (the only use) 1M MNs failed at -m 4300 and ran at -m 8192
    return 2 * (768 + (n + 16384) * 2560 // (1 << 20) + n * 512 // (1 << 20))


def mem_available_mb():
    for ln in open("/proc/meminfo"):
        if ln.startswith("MemAvailable:"):
            return int(ln.split()[1]) // 1024
    return 0


def free_hugepages():
    for ln in open("/proc/meminfo"):
        if ln.startswith("HugePages_Free:"):
            return int(ln.split()[1])
    return 0


@contextlib.contextmanager
def hugepages(need_mb):
    """EAL arguments for a run on 2 MiB hugepages (at least need_mb of them free), or None
    (with the reason printed)."""
    pages = (need_mb + 1) // 2
    nr_before = open("/proc/sys/vm/nr_hugepages").read().strip()
    hdir, touched = None, False
    try:
        mounted = any(ln.split()[2] == "hugetlbfs" for ln in open("/proc/mounts"))
        if free_hugepages() >= pages and mounted:
            yield []
            return
        if shutil.which("dpdk-hugepages.py") is None:
            print("bench-gw (a): no dpdk-hugepages.py: skipping the hugepage runs\n")
            yield None
            return
        if os.geteuid() != 0:
            print("bench-gw (a): not root, cannot reserve hugepages: skipping the hugepage "
                  "runs\n")
            yield None
            return
        hdir = tempfile.mkdtemp(prefix="bench-gw-huge.")
        touched = True
        size = "%dG" % ((need_mb + 1023) // 1024)
        subprocess.run(["dpdk-hugepages.py", "--directory", hdir, "--setup", size])
        if subprocess.run(["mountpoint", "-q", hdir]).returncode != 0 or \
                free_hugepages() < pages:
            print("bench-gw (a): dpdk-hugepages.py --setup %s did not give %d free pages (%d) "
                  "and a mount: skipping the hugepage runs\n" % (size, pages, free_hugepages()))
            yield None
            return
        yield ["--huge-dir", hdir]
    finally:
        if hdir is not None:
            subprocess.run(["umount", hdir], stderr=subprocess.DEVNULL)
            os.rmdir(hdir)
        if touched:
            with open("/proc/sys/vm/nr_hugepages", "w") as f:
                f.write(nr_before)
            print("bench-gw (a): hugepages put back: %s reserved"
                  % open("/proc/sys/vm/nr_hugepages").read().strip())


def run_gw(build, eal, n, at, runs, secs, extra=()):
    """bench-gw: (median, min, max ticks/pkt, manager of this AT, false accepts) or None."""
    r = subprocess.run([os.path.join(build, "perf", "bench-gw", "bench-gw")] + eal +
                       ["-l", "0-1", "--file-prefix", "bgw_a_%d" % os.getpid(), "--",
                        "-n", str(n), "-t", str(at), "-r", str(runs), "-s", str(secs), "-q"] +
                       list(extra), capture_output=True, text=True)
    m = re.search(r"^\| %d \| %d \| [0-9.]+ \| ([0-9.]+) \[([0-9.]+), ([0-9.]+)\] \|.*\| (\d+) \|$"
                  % (at, n), r.stdout, re.M)
    arch = re.search(r"sha1=(\w+) sha256=(\w+)", r.stdout)
    if r.returncode != 0 or m is None or arch is None:
        print("bench-gw failed (rc %d):\n%s%s" % (r.returncode, r.stdout[-600:], r.stderr[-400:]))
        return None
    return (float(m.group(1)), float(m.group(2)), float(m.group(3)), arch.group(1 + at),
            int(m.group(4)))


FBU_4K_MB = 2560  # bench-fbu's memory on 4 KiB pages (perf/bench-fbu/run.sh)


def run_fbu(build, eal, n, at, runs, arch, data):
    """bench-fbu (a) with manager arch, appending its line to data: (median, min, max).  On
    lcore 1, the CPU bench-gw's worker runs on."""
    if "--no-huge" in eal:
        eal = ["--no-huge", "-m", str(FBU_4K_MB)] + eal[3:]
    r = subprocess.run([os.path.join(build, "perf", "bench-fbu", "bench-fbu")] + eal +
                       ["-l", "1", "--file-prefix", "bgw_fbu_%d" % os.getpid(), "--",
                        "-n", str(n), "-t", str(at), "-V", "a", "-m", arch, "-r", str(runs),
                        "-o", data], capture_output=True, text=True)
    m = re.search(r"^\| %d \| %d \| \(a\)[^|]*\| ([0-9.]+) \[([0-9.]+), ([0-9.]+)\] \|"
                  % (at, n), r.stdout, re.M)
    if r.returncode != 0 or m is None:
        print("bench-fbu failed (rc %d):\n%s%s" % (r.returncode, r.stdout[-600:], r.stderr[-400:]))
        return None
    return float(m.group(1)), float(m.group(2)), float(m.group(3))


def data_line(data, huge, at, n, variant, t, hz, depth):
    """One line in bench-fbu's format, appended (bench-fbu -o appends to the same file)."""
    med, lo, hi = t
    with open(data, "a") as f:
        f.write("%d\t%d\t%d\t%s\t%.1f\t%.1f\t%.1f\t%.3f\t%d\n" % (
            huge, at, n, variant, med, lo, hi, hz / med / 1e6, depth))


def gw_hz(build):
    r = subprocess.run([os.path.join(build, "perf", "bench-gw", "bench-gw"), "--no-huge",
                        "--no-pci", "-m", "512", "-l", "0-1", "--file-prefix",
                        "bgw_hz_%d" % os.getpid()] + LOG + ["--", "-n", "64", "-s", "0.2"],
                       capture_output=True, text=True)
    m = re.search(r"TSC ([0-9.]+) GHz", r.stdout)
    return float(m.group(1)) * 1e9 if m else 2.6e9


# the bench-gw variants: data-file name, label, bench-gw options
GW_VARIANTS = [("gw", "bench-gw (a)", [])]
GW_EXTRA = [("gw_nofast", "bench-gw (a), [fbu] fast_decode = false", ["-F"]),
            ("gw_d0", "bench-gw (a), [fbu] pipeline_depth = 0", ["-D", "0"])]


def cell(build, eal, huge, at, n, runs, secs, variants, data, hz):
    """One AT / MN count / page size: bench-gw (every variant), then bench-fbu (a)."""
    gws = []
    for key, label, opts in variants:
        g = run_gw(build, eal, n, at, runs, secs, opts)
        if g is None:
            return None
        gws.append((key, label, g))
    arch = gws[0][2][3]  # the same manager in both programs (bench-gw's self-benchmark)
    fb = run_fbu(build, eal, n, at, runs, arch, data)
    if fb is None:
        return None
    rows = []
    for (key, label, g), (_, _, opts) in zip(gws, variants):
        data_line(data, huge, at, n, key, g[:3], hz, 0 if "-D" in opts else 1)
        ratio = fb[0] / g[0]
        rows.append((label, g, fb, arch, ratio))
    return rows


def print_row(pages, at, n, row, hz):
    label, g, fb, arch, ratio = row
    print("| %s | %d | %d | %s | %s | %.0f [%.0f, %.0f] | %.2f | %.0f [%.0f, %.0f] | %.2f | "
          "%.2f | %s | %d |" % (pages, at, n, arch, label, g[0], g[1], g[2], hz / g[0] / 1e6,
                                fb[0], fb[1], fb[2], hz / fb[0] / 1e6, ratio,
                                "met" if ratio >= TARGET else "MISSED", g[4]))


def page_runs(build, pages, hp, mns, runs, secs, variants, data, hz):
    """Every cell on one page size; True when bench-gw (a) met the target in all of them."""
    ok = True
    for at in (0, 1):
        for n in mns:
            need = max(mem_mb(n), FBU_4K_MB) + 1024
            if pages == "4k" and mem_available_mb() < need:
                print("| 4k | %d | %d | skipped: %d MB available, %d needed |" % (
                    at, n, mem_available_mb(), need))
                continue
            eal = (["--no-huge", "-m", str(mem_mb(n))] if pages == "4k" else hp) + \
                ["--no-pci"] + LOG
            rows = cell(build, eal, int(pages == "huge"), at, n, runs, secs, variants, data,
                        hz)
            if rows is None:
                return False
            for row in rows:
                print_row(pages, at, n, row, hz)
            ok = ok and rows[0][4] >= TARGET and rows[0][1][4] == 0
    return ok


def bench_a(build, src, quick, out_dir, mns=None, runs=None, secs=None, extra=False):
    os.makedirs(out_dir, exist_ok=True)
    data = os.path.join(out_dir, "bench-gw-a.tsv")
    mns = mns or ([1000] if quick else [1000, 100000, 1000000])
    runs = runs or (3 if quick else 5)
    secs = secs or (0.5 if quick else 1.0)
    variants = GW_VARIANTS + (GW_EXTRA if extra else [])
    hz = gw_hz(build)
    print("## (a) FBU verification through the worker loop vs bench-fbu (a), same run\n")
    print("%d windows of %.1f s (bench-gw), %d runs (bench-fbu) per cell; ticks/pkt median "
          "[min, max]; ratio = bench-gw Mpps / bench-fbu (a) Mpps; load average %s\n" % (
              runs, secs, runs, open("/proc/loadavg").read().split()[0]))
    print("| pages | AT | MNs | ipsec-mb manager | variant | ticks/pkt | Mpps | bench-fbu (a) "
          "ticks/pkt | Mpps | ratio | target >= %.2f | false accepts |" % TARGET)
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    with open(data, "w") as f:
        f.write(FBU_HEADER)
    ok = page_runs(build, "4k", [], mns, runs, secs, variants, data, hz)
    with hugepages(max(mem_mb(max(mns)), 2048)) as hp:
        if hp is not None:
            ok = page_runs(build, "huge", hp, mns, runs, secs, variants, data, hz) and ok
    print("\ndata: %s" % data)
    if shutil.which("gnuplot"):
        subprocess.run([os.path.join(src, "perf", "bench-fbu", "plot.sh"), data,
                        os.path.join(out_dir, "bench-gw-a.svg")])
    else:
        print("no gnuplot: no plot (scripts/deps.sh installs it)")
    print()
    return ok
