#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Faults counted (issue 13 item 4): mbuf starvation made visible, and the sample config sized
by the gateway's own estimate (suite 'fmipgw').

  starve GW MKCRED FMIPCTL VECTORS  a pool smaller than what the rings can hold (accepted with a
                                    warning), RtSolPrs faster than the control lcore signs
                                    PrRtAdvs: the pool runs dry, rx_pool_empty and the pcap
                                    port's rx_nombuf count it, /fmipgw/ports shows the pool;
                                    when the load stops the control lcore drains the rings, the
                                    pool refills, net_null's frames are received again and the
                                    starvation counters stop moving
  sample GW CONF MKCRED FMIPCTL     conf/fmipgw.conf on its documented layouts (two ports,
                                    -l 0-1 / 0-4 / 0-7, slow-path lcores): the estimate the
                                    gateway logs at start-up is at most [ports] mbufs, no
                                    sizing warning
"""
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_gw as G  # noqa: E402

P = G.P
check = G.check


def start(gw, conf, prefix, vdevs, lcores):
    """The gateway running on vdevs; (process, output so far) once it says "running"."""
    js = conf + ".stats.json"
    p = subprocess.Popen([gw] + G.eal(prefix, *vdevs, lcores=lcores) +
                         ["--", "--config", conf, "--stats-json", js],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out, end = b"", time.time() + 60
    while b"fmipgw: running" not in out and time.time() < end and p.poll() is None:
        r, _, _ = select.select([p.stdout], [], [], 0.5)
        if r:
            out += os.read(p.stdout.fileno(), 65536)
    return p, out


def stop(p, out):
    p.send_signal(signal.SIGTERM)
    try:
        out += p.communicate(timeout=30)[0]
    except subprocess.TimeoutExpired:
        p.kill()
        out += p.communicate()[0]
    return p.returncode, out.decode(errors="replace")


def sample(t):
    """One reading of /fmipgw/stats and /fmipgw/ports (or {} for a command the gateway lacks)."""
    s = t.cmd("/fmipgw/stats").get("/fmipgw/stats") or {}
    ports = t.cmd("/fmipgw/ports").get("/fmipgw/ports") or {}
    return s, ports


STARVE_KEYS = ("rx_pool_empty", "ctrl_alloc_failed")
PTRACE_DETACH, PTRACE_SEIZE, PTRACE_INTERRUPT, WALL = 17, 0x4206, 0x4207, 0x40000000


class Stall:
    """One thread of the gateway stopped alone (PTRACE_SEIZE + PTRACE_INTERRUPT: a ptrace-stop
    of that thread, no group stop; the workers and the telemetry thread run on)."""

    def __init__(self, tid):
        import ctypes
        self.libc, self.tid = ctypes.CDLL(None, use_errno=True), tid
        self.libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p,
                                     ctypes.c_void_p]
        if self.libc.ptrace(PTRACE_SEIZE, tid, None, None) != 0 or \
           self.libc.ptrace(PTRACE_INTERRUPT, tid, None, None) != 0:
            raise OSError(ctypes.get_errno(), "ptrace %d" % tid)
        os.waitpid(tid, WALL)

    def release(self):
        self.libc.ptrace(PTRACE_DETACH, self.tid, None, None)


def veth(a, b):
    subprocess.run(["ip", "link", "add", a, "type", "veth", "peer", "name", b], check=True)
    for i in (a, b):
        subprocess.run(["sysctl", "-qw", "net.ipv6.conf.%s.disable_ipv6=1" % i], check=True)
        subprocess.run(["ip", "link", "set", i, "up"], check=True)


def send(iface, frames):
    """frames out of iface, 100 at a time with a pause: the capture's buffer never overflows
    (the gateway's worker reads it, starved or not)."""
    import socket
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    for i, f in enumerate(frames):
        s.send(f)
        if i % 100 == 99:
            time.sleep(0.02)
    s.close()


def wait_for(t, cond, timeout=30.0):
    """Telemetry readings until cond(stats, ports) holds (or timeout); the last one."""
    end = time.time() + timeout
    while True:
        s, ports = sample(t)
        if cond(s, ports) or time.time() > end:
            return s, ports
        time.sleep(0.2)


def delta(a, b, keys):
    return {k: b.get(k, 0) - a.get(k, 0) for k in keys}


def t_starve(gw, mkcred, fmipctl, vectors):
    """1023 mbufs, ring_size 512, two workers with distribute = on (worker 0 polls, spreads by
    source and destination to worker 1): the two rings to control and worker 1's distribution
    ring can hold 1533 mbufs, more than the pool (accepted with a warning).  The control lcore
    is stopped (ptrace), 3000 RtSolPrs from 3000 sources arrive by net_pcap on a veth: the rings
    fill, the pool runs dry.  Then control runs again, drains the rings, the pool refills and
    200 more frames are received and queued, none lost, the starvation counters unchanged."""
    tmp = tempfile.mkdtemp()
    va, vb = "fgsa%d" % (os.getpid() % 100000), "fgsb%d" % (os.getpid() % 100000)
    try:
        d = G.creds(tmp, mkcred, fmipctl)
        conf = os.path.join(tmp, "gw.conf")
        text = (G.minimal(d, "pass_through = drop\n[policer]\nrtsolpr_rate = 0\n"
                             "[rings]\nring_size = 512\n[lcores]\ndistribute = on\n")
                .replace("mbufs = 2047", "mbufs = 1023")
                .replace("mbuf_cache = 32", "mbuf_cache = 0")
                .replace("rx_desc = 128", "rx_desc = 32").replace("tx_desc = 128",
                                                                  "tx_desc = 32"))
        open(conf, "w").write(text)
        rtsolpr = G.read_pcap(os.path.join(vectors, "reference.pcap"))[0]
        n, m = 3000, 200

        def frame(i):  # the reference RtSolPr from source ...:iiii (IPv6 source: 22..37)
            f = bytearray(rtsolpr[:34] + i.to_bytes(4, "big") + rtsolpr[38:])
            f[56:58] = b"\0\0"  # the ICMPv6 checksum again (RFC 4443 2.3)
            plen = len(f) - 54
            ph = bytes(f[22:54]) + plen.to_bytes(4, "big") + bytes(3) + bytes([58])
            data = ph + bytes(f[54:]) + bytes(plen % 2)
            c = sum(int.from_bytes(data[k:k + 2], "big") for k in range(0, len(data), 2))
            while c >> 16:
                c = (c & 0xffff) + (c >> 16)
            f[56:58] = (~c & 0xffff).to_bytes(2, "big")
            return bytes(f)
        assert frame(int.from_bytes(rtsolpr[34:38], "big")) == rtsolpr
        veth(va, vb)
        p, out = start(gw, conf, "fmipgw_t_starve", ["net_pcap0,rx_iface=%s,%s" % (va, ",".join(
                           "tx_pcap=%s" % os.path.join(tmp, "o%d.pcap" % i) for i in range(3)))],
                       "0@0,1@1,2@1")
        rc, stall = None, None
        try:
            check(b"fmipgw: running" in out, "the starved layout starts (%s)" %
                  out.decode(errors="replace")[-400:])
            if b"fmipgw: running" not in out:
                return
            check(b"ring_size = 512" in out and b"stop reception" in out,
                  "start-up warns that the rings can stop reception")
            t = P.Telemetry(G.PREFIXES[-1])
            s0, ports0 = sample(t)
            stall = Stall(p.pid)  # the control lcore is the main lcore (control = main)
            send(vb, [frame(i) for i in range(n)])
            s1, ports1 = wait_for(t, lambda s, q: (q.get("port0") or {}).get("ipackets", 0) +
                                  (q.get("port0") or {}).get("rx_nombuf", 0) >= n)
            stall.release()
            stall = None
            s2, ports2 = wait_for(t, lambda s, q: q.get("pool_in_use", 1023) < 64 and
                                  s.get("rtsolpr_rx") == s.get("ctrl_rtsolpr"))
            send(vb, [frame(n + i) for i in range(m)])
            s3, ports3 = wait_for(t, lambda s, q: s.get("rtsolpr_rx", 0) >=
                                  s2.get("rtsolpr_rx", 0) + m)
            t.close()
        finally:
            if stall is not None:
                stall.release()
            rc, text_out = stop(p, out)
        check(rc == 0, "SIGTERM: exit 0 (rc %s)" % rc)
        q0, q1, q3 = ([x.get("port0") or {} for x in (ports0, ports1, ports3)])
        rx1 = q1.get("ipackets", 0) - q0.get("ipackets", 0)
        lost1 = q1.get("rx_nombuf", 0) - q0.get("rx_nombuf", 0)
        check(ports1.get("pool_available", 1023) < 32 and ports1.get("workers_starved", 0) >= 1,
              "control stopped: /fmipgw/ports shows the pool below a burst and a worker "
              "starved (%s)" % {k: ports1.get(k) for k in ("pool_available", "pool_in_use",
                                                           "workers_starved")})
        check(s1.get("rx_pool_empty", 0) - s0.get("rx_pool_empty", 0) >= 1,
              "rx_pool_empty counted the starvation (%s -> %s)" % (
                  s0.get("rx_pool_empty"), s1.get("rx_pool_empty")))
        # net_pcap loses the frame it read when no mbuf is left (rte_eth_stats rx_nombuf)
        check(rx1 + lost1 == n and lost1 > 0 and
              s1.get("rx_packets", 0) - s0.get("rx_packets", 0) == rx1,
              "net_pcap0: each of the %d frames received (%d) or lost for want of an mbuf "
              "(rx_nombuf %d), exactly" % (n, rx1, lost1))
        got = delta(s0, s1, ("ctrl_rtsolpr", "drop_ring_full", "drop_dist_full"))
        check(sum(got.values()) == rx1 and got["ctrl_rtsolpr"] > 0,
              "each received RtSolPr queued to control or dropped, once (%s == %d)" % (got, rx1))
        check(s2.get("rtsolpr_rx") == s2.get("ctrl_rtsolpr") and
              ports2.get("workers_starved") == 0 and ports2.get("pool_in_use", 1023) < 64,
              "control runs again: every queued RtSolPr served, the pool refilled, no worker "
              "starved (%s)" % {k: ports2.get(k) for k in ("pool_available", "pool_in_use",
                                                           "workers_starved")})
        got = delta(s2, s3, ("rx_packets", "ctrl_rtsolpr", "drop_ring_full", "drop_dist_full",
                             "rtsolpr_rx") + STARVE_KEYS)
        check(got == {"rx_packets": m, "ctrl_rtsolpr": m, "drop_ring_full": 0,
                      "drop_dist_full": 0, "rtsolpr_rx": m, "rx_pool_empty": 0,
                      "ctrl_alloc_failed": 0} and
              q3.get("rx_nombuf") == q1.get("rx_nombuf") and
              q3.get("ipackets") == q1.get("ipackets", 0) + m,
              "recovered: %d more RtSolPrs received, queued and served, none lost, the "
              "starvation counters stopped moving (%s, rx_nombuf %s -> %s)" % (
                  m, got, q1.get("rx_nombuf"), q3.get("rx_nombuf")))
    finally:
        subprocess.run(["ip", "link", "del", va], stderr=subprocess.DEVNULL)
        shutil.rmtree(tmp, ignore_errors=True)


SIZING = re.compile(r"mbuf pool: (\d+) mbufs; at most out of it at once: .* = (\d+)")


def t_sample(gw, conf, mkcred, fmipctl):
    """conf/fmipgw.conf on the layouts it documents ([ports] mbufs): two ports (access link
    and uplink), routing on, -l 0-1, -l 0-4 and -l 0-7 with and without slow-path lcores.  The
    gateway's own estimate (its INFO line) is at most mbufs and no sizing warning is logged."""
    tmp = tempfile.mkdtemp()
    try:
        d = G.creds(tmp, mkcred, fmipctl)
        base = open(conf).read().replace("/etc/fmipgw", d)
        layouts = ((2, "none", False), (2, "none", True), (5, "none", True), (6, "4,5", True),
                   (8, "none", False), (8, "none", True), (8, "5-7", True))
        for i, (nl, slow, route) in enumerate(layouts):
            f = os.path.join(tmp, "sample%d.conf" % i)
            text = re.sub(r"(?m)^slow = none$", "slow = %s" % slow, base)
            if route:  # the uplink's default route: next hops resolved, packets held
                text = text.replace("\n[routes]\n", "\n[routes]\nroute.up = default via "
                                    "fe80::1 port 1\n", 1)
            open(f, "w").write(text)
            vdevs = ["net_null%d" % k for k in (0, 1)]
            # -l 0-(nl-1) as lcores on this machine's two CPUs (0 on CPU 0, the others on 1)
            lc = ",".join(["0@0"] + ["%d@1" % k for k in range(1, nl)])
            r = subprocess.run([gw] + G.eal("fmipgw_t_sample%d" % i, *vdevs, lcores=lc) +
                               ["-m", "512", "--", "--config", f, "--duration", "1"],
                               capture_output=True, text=True, timeout=120)
            m = SIZING.search(r.stdout + r.stderr)
            check(r.returncode == 0 and m is not None and int(m.group(2)) <= int(m.group(1))
                  and "mbufs to" not in r.stdout + r.stderr,
                  "sample config, -l 0-%d, slow = %s, routes %s: exit %d, estimate %s <= mbufs %s, no "
                  "sizing warning" % (nl - 1, slow, route, r.returncode, m and m.group(2),
                                      m and m.group(1)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    try:
        if sys.argv[1] == "starve":
            t_starve(*sys.argv[2:6])
        elif sys.argv[1] == "sample":
            t_sample(*sys.argv[2:6])
        else:
            sys.exit("unknown test %s" % sys.argv[1])
    finally:
        for p in G.PREFIXES:
            shutil.rmtree("/var/run/dpdk/" + p, ignore_errors=True)
    if G.failures:
        print("%d check(s) failed" % len(G.failures))
        sys.exit(1)
    print("all checks passed")


if __name__ == "__main__":
    main()
