#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""End-to-end test of fmipgw as an IPv6 router (issue 11): the real binary on three net_tap
ports, each moved into a network namespace whose Linux kernel is the peer:

   nsA (host 2001:db8:1::100, fe80::a)  --- port 0  fmipgw  port 1 ---  nsB (host 2001:db8:2::200,
   lo 2001:db8:100:1::1)                        |                         fe80::b, lo 2001:db8:99::1,
                                          port 2 = exception              2001:db8:100:2::1)
                                          port of port 0 --- nsR (the router's kernel: 2001:db8:1::1)

Routes: 2001:db8:1::/64 connected port 0, 2001:db8:2::/64 connected port 1, 2001:db8:100::/40
via fe80::b port 1, 2001:db8:100:1::/64 via fe80::a port 0, 2001:db8:1::1/128 local, default
via fe80::b port 1.  Nothing is static: every next hop is resolved by ND (the kernels answer
the gateway's NSs; the gateway answers theirs for fe80::1 and 2001:db8:1::1).

Checked with ICMPv6 echo from the namespaces' kernels (raw sockets) and through telemetry:
transit both ways by longest prefix, the default route, Hop Limit 1 and 0 (Time Exceeded from
2001:db8:1::1), no route after a SIGHUP (Destination Unreachable 0), both errors dissected by
tshark; resolution of an address nobody has (3 NSs seen in nsB, then failed, held packet
dropped); 3000 UDP datagrams A -> B with two SIGHUP route changes during the flow: all arrive
in order, no drop counter moves; an echo to 2001:db8:1::1 served by nsR's kernel through the
exception port and back.

usage: test_route_e2e.py GW_BINARY FMIPCTL_BINARY MAKE_CREDENTIALS_SH
"""
import ctypes
import os
import select
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fmipgw"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fmipctl"))
import gwrun as R  # noqa: E402  (the gateway, its telemetry, the teardown)
import test_gw as G  # noqa: E402  (write_pcap)
import test_tshark as T  # noqa: E402

check = R.check
LIBC = ctypes.CDLL("libc.so.6", use_errno=True)
ROOT_NS = os.open("/proc/self/ns/net", os.O_RDONLY)

ROUTES = """
[router]
key_file = {d}/router.key.pem
params_file = {d}/router.cga.params
cert_file = {d}/router.chain.pem
anchor_file = {d}/trust-anchor.pem
prefixes = 2003::/64
address = fe80::1
[par]
addresses = 2003::1
[ports]
mbufs = 4095
mbuf_cache = 64
rx_desc = 256
tx_desc = 256
[routes]
route.access = 2001:db8:1::/64 connected port 0
route.b = 2001:db8:2::/64 connected port 1
route.core = 2001:db8:100::/40 via fe80::b port 1
route.longer = 2001:db8:100:1::/64 via fe80::a port 0
route.me = 2001:db8:1::1/128 local
{extra}
[neighbours]
retrans_ms = 300
mcast_solicit = 3
{statics}
[exception]
ports = 2:0
"""
DEFAULT = "route.dflt = default via fe80::b port 1"


class NetNs:
    """Enter a namespace for the sockets made inside (they stay in it), then come back."""

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        R.setns(self.name)

    def __exit__(self, *exc):
        LIBC.setns(ROOT_NS, 0x40000000)


def sh(ns, *cmd):
    subprocess.run(["ip", "netns", "exec", ns] + list(cmd), check=True)


def setup_ns(ns, ifname, mac, addrs, routes, lo=()):
    subprocess.run(["ip", "link", "set", ifname, "netns", ns], check=True)
    for k in ("accept_dad=0", "dad_transmits=0", "router_solicitations=0"):
        sh(ns, "sysctl", "-qw", "net.ipv6.conf.all." + k, "net.ipv6.conf.%s.%s" % (ifname, k))
    sh(ns, "ip", "link", "set", ifname, "address", mac)
    sh(ns, "ip", "link", "set", "lo", "up")
    sh(ns, "ip", "link", "set", ifname, "up")
    for a in addrs:
        sh(ns, "ip", "-6", "addr", "add", a, "dev", ifname, "nodad")
    for a in lo:
        sh(ns, "ip", "-6", "addr", "add", a, "dev", "lo")
    for r in routes:
        sh(ns, *(["ip", "-6", "route", "add"] + r.split() + ["dev", ifname]))


class Pinger:
    """ICMPv6 echo from a namespace's kernel (raw socket: the kernel routes, resolves, sums)."""

    def __init__(self, ns):
        with NetNs(ns):
            self.s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
        self.ident = os.getpid() & 0xffff
        self.seq = 0

    def echo(self, dst, hops=64, timeout=3.0):
        """('reply', from) or ('error', type, code, from) or None."""
        self.seq += 1
        self.s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, hops)
        want = struct.pack("!HH", self.ident, self.seq)
        self.s.sendto(struct.pack("!BBH", 128, 0, 0) + want + b"fmipgw-route", (dst, 0))
        end = time.time() + timeout
        while time.time() < end:
            r, _, _ = select.select([self.s], [], [], max(0.0, end - time.time()))
            if not r:
                break
            data, addr = self.s.recvfrom(2048)
            if data[0] == 129 and data[4:8] == want:
                return ("reply", addr[0])
            if data[0] in (1, 3) and len(data) >= 8 + 40 + 8 and data[8 + 40 + 4:8 + 48] == want:
                return ("error", data[0], data[1], addr[0])
        return None


class Capture:
    """Every frame a namespace's interface receives, with its time, from start() to stop()."""

    def __init__(self, ns, ifname):
        with NetNs(ns):
            self.s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
            self.s.bind((ifname, 0))
        self.frames, self.run = [], False

    def start(self):
        self.frames, self.run = [], True
        self.t = threading.Thread(target=self._loop, daemon=True)
        self.t.start()

    def _loop(self):
        while self.run:
            r, _, _ = select.select([self.s], [], [], 0.1)
            if r:
                data, addr = self.s.recvfrom(65535)
                if addr[2] != socket.PACKET_OUTGOING:
                    self.frames.append((time.time(), data))

    def stop(self):
        time.sleep(0.2)  # what is on its way
        self.run = False
        self.t.join()
        return self.frames


def icmp6(fr, types):
    return len(fr) >= 14 + 41 and fr[12:14] == b"\x86\xdd" and fr[20] == 58 and fr[54] in types


def wait_delta(gw, before, key, at_least, timeout=3.0):
    end = time.time() + timeout
    while True:
        d = gw.stats()[key] - before[key]
        if d >= at_least or time.time() > end:
            return d
        time.sleep(0.05)


def run(gw, ctx):
    a, b = Pinger(ctx["nsA"]), Pinger(ctx["nsB"])
    cap_a, cap_b = Capture(ctx["nsA"], ctx["ifA"]), Capture(ctx["nsB"], ctx["ifB"])
    s0 = gw.stats()
    check(a.echo("2001:db8:2::200") == ("reply", "2001:db8:2::200"),
          "transit A -> B (connected port 1): echo reply, both hosts resolved by ND")
    s1 = gw.stats()
    nb = gw.tel.cmd("/fmipgw/neighbours")["/fmipgw/neighbours"]
    hosts = sorted(e.split()[0] for e in nb["entries"] if e.split()[3] in ("reachable", "stale", "delay", "probe"))
    # nsA's NS for fe80::1 came from 2001:db8:1::100 with its SLLA: learned (RFC 4861 7.2.3),
    # no NS needed for it; 2001:db8:2::200 was resolved by NS/NA, its first packet held
    check(s1["ns_sent_mcast"] - s0["ns_sent_mcast"] >= 1 and s1["na_rx"] > s0["na_rx"] and
          s1["na_tx"] > s0["na_tx"] and s1["fwd_ctrl_tx"] > s0["fwd_ctrl_tx"] and
          nb["learned"] >= 1 and nb["resolved"] >= 1 and
          "2001:db8:1::100" in hosts and "2001:db8:2::200" in hosts,
          "NS sent and NA received for B, A learned from its NS, the gateway answered the NS "
          "for fe80::1, the held packet released (%s, neighbours %s)" % (
              {k: s1[k] - s0[k] for k in ("ns_sent_mcast", "na_rx", "na_tx", "fwd_ctrl_tx",
                                          "fwd_to_resolve")}, hosts))
    check(a.echo("2001:db8:99::1") == ("reply", "2001:db8:99::1"),
          "default route via fe80::b: echo reply from nsB's 2001:db8:99::1")
    check(a.echo("2001:db8:100:2::1") == ("reply", "2001:db8:100:2::1"),
          "the /40 via fe80::b: nsB's 2001:db8:100:2::1 answers")
    check(b.echo("2001:db8:100:1::1") == ("reply", "2001:db8:100:1::1"),
          "the longer /64 via fe80::a (port 0): nsA's 2001:db8:100:1::1 answers")
    cap_a.start()
    r1, r0 = a.echo("2001:db8:2::200", hops=1), a.echo("2001:db8:2::200", hops=0)
    check(r1 == ("error", 3, 0, "2001:db8:1::1") and r0 == ("error", 3, 0, "2001:db8:1::1"),
          "Hop Limit 1 and 0: Time Exceeded (3/0) from 2001:db8:1::1 (%s, %s)" % (r1, r0))
    reload(gw, ctx, "")  # the default route goes
    r = a.echo("2001:db8:99::1")
    check(r == ("error", 1, 0, "2001:db8:1::1"),
          "after SIGHUP without the default route: Destination Unreachable 0 (%s)" % (r,))
    errs = [f for _, f in cap_a.stop() if icmp6(f, (1, 3))]
    pcap = os.path.join(ctx["tmp"], "errors.pcap")
    G.write_pcap(pcap, errs)
    got = [tuple(T.first(T.first(f, "layers"), k) for k in
                 ("icmpv6.type", "icmpv6.code", "icmpv6.checksum.status", "ipv6.src"))
           for f in T.tshark(pcap)]
    check(got == [("3", "0", "1", "2001:db8:1::1")] * 2 + [("1", "0", "1", "2001:db8:1::1")],
          "tshark on nsA's capture: 2 Time Exceeded and 1 Destination Unreachable, code 0, "
          "checksum good, from 2001:db8:1::1 (%s)" % got)
    check(all(not T.expert_problems(T.first(f, "layers")) for f in T.tshark(pcap)),
          "tshark: no expert warning on the errors")
    unresolved(gw, a, cap_b)
    sighup_under_traffic(gw, ctx)
    static_reload(gw, ctx)
    before = gw.stats()
    check(a.echo("2001:db8:1::1") == ("reply", "2001:db8:1::1"),
          "echo to 2001:db8:1::1: answered by nsR's kernel through the exception port")
    after = gw.stats()
    check(after["exc_punted"] > before["exc_punted"] and
          after["exc_injected"] > before["exc_injected"],
          "exception path counted: punted +%d, injected +%d" % (
              after["exc_punted"] - before["exc_punted"],
              after["exc_injected"] - before["exc_injected"]))


def reload(gw, ctx, extra, statics=""):
    open(ctx["conf"], "w").write(ROUTES.format(d=ctx["cred"], extra=extra, statics=statics))
    before = gw.stats()
    gw.p.send_signal(signal.SIGHUP)
    check(wait_delta(gw, before, "reloads", 1) == 1, "SIGHUP: reloaded")


def unresolved(gw, a, cap_b):
    cap_b.start()
    r = a.echo("2001:db8:2::999", timeout=2.0)
    time.sleep(0.5)
    frames = cap_b.stop()
    nss = [(t, f) for t, f in frames
           if icmp6(f, (135,)) and socket.inet_ntop(socket.AF_INET6, f[62:78]) == "2001:db8:2::999"]
    gaps = [round(nss[i + 1][0] - nss[i][0], 2) for i in range(len(nss) - 1)]
    check(r is None and len(nss) == 3 and all(0.2 <= g <= 0.6 for g in gaps),
          "unknown 2001:db8:2::999: 3 NSs seen in nsB about retrans_ms (300 ms) apart, no "
          "answer (%d NSs, gaps %s)" % (len(nss), gaps))
    nb = gw.tel.cmd("/fmipgw/neighbours")["/fmipgw/neighbours"]
    ent = [e for e in nb["entries"] if e.startswith("2001:db8:2::999 ")]
    check(ent and " failed " in ent[0] and nb["failed"] >= 1 and nb["drop_timeout"] >= 1,
          "/fmipgw/neighbours: the entry failed, its held packet dropped (%s, failed %s, "
          "drop_timeout %s)" % (ent, nb.get("failed"), nb.get("drop_timeout")))


def static_reload(gw, ctx):
    """A static neighbour added by SIGHUP is in the table as static; removed, it is gone."""
    reload(gw, ctx, DEFAULT, "static.s = fe80::5 port 1 02:00:00:00:00:05")
    ent = [e for e in gw.tel.cmd("/fmipgw/neighbours")["/fmipgw/neighbours"]["entries"]
           if e.startswith("fe80::5 ")]
    check(ent == ["fe80::5 port 1 static 02:00:00:00:00:05 held 0 probes 0"],
          "SIGHUP: a new static neighbour is in the table (%s)" % ent)
    reload(gw, ctx, DEFAULT)
    nb = gw.tel.cmd("/fmipgw/neighbours")["/fmipgw/neighbours"]
    check(not [e for e in nb["entries"] if e.startswith("fe80::5 ")] and nb["statics"] == 0,
          "SIGHUP: the removed static neighbour is gone")


DROPS = ["fwd_drop_no_route", "fwd_drop_hlim", "fwd_drop_unresolved", "fwd_drop_neigh_failed",
         "drop_tx_full", "drop_ring_full", "fwd_ctrl_drop", "drop_malformed"]


def sighup_under_traffic(gw, ctx, n=3000):
    """n datagrams A -> B at ~1000/s; two route changes by SIGHUP while they flow."""
    with NetNs(ctx["nsB"]):
        rx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        rx.bind(("2001:db8:2::200", 9999))
    with NetNs(ctx["nsA"]):
        tx = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    tx.sendto(b"warm", ("2001:db8:2::200", 9999))
    rx.settimeout(2)
    rx.recv(64)
    got = []

    def receive():
        rx.settimeout(3)
        try:
            while len(got) < n:
                got.append(struct.unpack("!I", rx.recv(64)[:4])[0])
        except socket.timeout:
            pass

    before, gen0 = gw.stats(), gw.tel.cmd("/fmipgw/routes")["/fmipgw/routes"]["generation"]
    t = threading.Thread(target=receive)
    t.start()
    t0 = time.time()
    for i in range(n):
        tx.sendto(struct.pack("!I", i) + bytes(60), ("2001:db8:2::200", 9999))
        if i == n // 3:
            reload(gw, ctx, DEFAULT + "\nroute.x = 2001:db8:300::/48 via fe80::b port 1")
        elif i == 2 * n // 3:
            reload(gw, ctx, DEFAULT)
        time.sleep(max(0.0, t0 + (i + 1) / 1000.0 - time.time()))
    t.join()
    after = gw.stats()
    routes = gw.tel.cmd("/fmipgw/routes")["/fmipgw/routes"]
    check(got == list(range(n)),
          "SIGHUP twice under traffic: all %d datagrams arrived, in order (got %d)" % (n, len(got)))
    check(routes["generation"] == gen0 + 2 and routes["build_errors"] == 0,
          "/fmipgw/routes: two new FIBs published (generation %s -> %s)" % (
              gen0, routes["generation"]))
    check(all(after[k] == before[k] for k in DROPS) and
          after["fwd_packets"] - before["fwd_packets"] >= n,
          "no drop counter moved, %d forwarded (%s)" % (
              after["fwd_packets"] - before["fwd_packets"],
              {k: after[k] - before[k] for k in DROPS if after[k] != before[k]}))


def main():
    gw_bin, fmipctl, mkcred = sys.argv[1:4]
    tag = "%d" % os.getpid()
    with R.Run("route") as r:
        ctx = {"tmp": r.tmp}
        for k in "ABR":
            ctx["ns" + k] = "fmipgw_rt%s_%s" % (k, tag)
            ctx["if" + k] = "fmrt%s%s" % (k, tag[-6:])
        prefix = "fmipgw_route_e2e_" + tag
        ctx["cred"] = r.credentials(mkcred, fmipctl)
        ctx["conf"] = r.write("gw.conf", ROUTES.format(d=ctx["cred"], extra=DEFAULT,
                                                       statics=""))
        gw = r.gateway(gw_bin, ctx["conf"], prefix, ctx["ifA"],
                       extra_eal=["--vdev", "net_tap1,iface=" + ctx["ifB"],
                                  "--vdev", "net_tap2,iface=" + ctx["ifR"], "-m", "768"])
        r.netns(*(ctx["ns" + k] for k in "ABR"))
        links(ctx)
        run(gw, ctx)
        rc = gw.stop()
        check(rc == 0, "SIGTERM: exit status 0 (got %s)" % rc)
    return R.verdict(gw)


def links(ctx):
    """The three kernels: A and B the hosts on ports 0 and 1, R the router on the exception
    port."""
    setup_ns(ctx["nsA"], ctx["ifA"], "02:00:00:00:0a:0a",
             ["2001:db8:1::100/64", "fe80::a/64"], ["default via fe80::1"],
             lo=["2001:db8:100:1::1/128"])
    setup_ns(ctx["nsB"], ctx["ifB"], "02:00:00:00:0b:0b",
             ["2001:db8:2::200/64", "fe80::b/64"],
             ["2001:db8:1::/64 via fe80::1", "2001:db8:100::/40 via fe80::1"],
             lo=["2001:db8:99::1/128", "2001:db8:100:2::1/128"])
    # the router's kernel: the exception port keeps the MAC fmipgw gave it (port 0's)
    subprocess.run(["ip", "link", "set", ctx["ifR"], "netns", ctx["nsR"]], check=True)
    sh(ctx["nsR"], "sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0")
    sh(ctx["nsR"], "ip", "link", "set", ctx["ifR"], "up")
    sh(ctx["nsR"], "ip", "-6", "addr", "add", "2001:db8:1::1/64", "dev", ctx["ifR"],
       "nodad")


if __name__ == "__main__":
    sys.exit(main())
