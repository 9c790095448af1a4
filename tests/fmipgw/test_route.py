#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The routing stage of the fmipgw binary on two net_pcap ports (suite 'fmipgw', issue 11).

Every expected frame is built independently with scapy from the RFCs (RFC 8200 forwarding:
Hop Limit - 1, new link-layer addresses; RFC 4443 errors quoting the invoking packet; RFC 4861
NS/NA) and compared byte for byte with what the gateway wrote; tshark dissects every output
frame without expert warnings.

  pcap    GW MKCRED FMIPCTL   longest prefix, default route, connected host, Hop Limit 1 and 0
                              (Time Exceeded), link-local source, frame for another MAC, the
                              router's own address without exception port, no error for an
                              error, NS for the router's addresses (via the classifier and via
                              the routing stage) answered by NA, invalid NS, unsolicited NA,
                              resolution of an unknown neighbour (3 NSs, then failed)
  exception GW MKCRED FMIPCTL port 2 is port 0's exception port: the router's packets (local
                              address, link-local, OSPF multicast; MLD and ND with nd = true)
                              go there unchanged, the kernel's come out of port 0 unchanged;
                              who answers NSs ([exception] nd)
  errors  GW MKCRED FMIPCTL   no route: Destination Unreachable 0, [icmp6] rate limit, multicast
                              beyond link scope, MLD without [exception] nd
  config  GW MKCRED FMIPCTL   route lines, route file and exception map refused with file:line
                              (--check and start-up); FIB errors (host bits, unknown port) at
                              start-up with the route's file:line
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fmipctl"))
import test_gw as G  # noqa: E402
import test_tshark as T  # noqa: E402

from scapy.layers.inet import UDP  # noqa: E402
from scapy.layers.inet6 import (IPv6, ICMPv6DestUnreach, ICMPv6TimeExceeded,  # noqa: E402
                                ICMPv6ND_NS, ICMPv6ND_NA, ICMPv6NDOptSrcLLAddr,
                                ICMPv6NDOptDstLLAddr, ICMPv6MLReport)
from scapy.layers.l2 import Ether  # noqa: E402

check = G.check
HOST = "2001:db8:1::100"  # the host on port 0's link (static neighbour)
HOST_MAC = "02:00:00:00:01:00"
A_MAC, B_MAC = "02:00:00:00:0a:0a", "02:00:00:00:0b:0b"

ROUTES = """[routes]
route.access = 2001:db8:1::/64 connected port 0
route.core = 2001:db8:100::/40 via fe80::b port 1
route.longer = 2001:db8:100:1::/64 via fe80::a port 0
route.me = 2001:db8:1::1/128 local
route.me2 = 2001:db8:1::abcd/128 local
{default}
[neighbours]
retrans_ms = 200
mcast_solicit = 3
static.a = fe80::a port 0 {a}
static.b = fe80::b port 1 {b}
static.host = {host} port 0 {hm}
[icmp6]
error_rate = {rate}
error_burst = {burst}
"""


def conf(d, default="route.dflt = default via fe80::b port 1", rate=100, burst=10):
    return (G.minimal(d).replace("prefixes = 2003::/64\n",
                                 "prefixes = 2003::/64\naddress = fe80::1\n") +
            ROUTES.format(default=default, a=A_MAC, b=B_MAC, host=HOST, hm=HOST_MAC, rate=rate,
                          burst=burst))


def port_macs(gw, tmp, conf_text, n=2):
    """The net_pcap ports' MACs, from the gateway's start-up log."""
    r, _, _, out = run2(gw, tmp, conf_text, *([[]] * n), duration="0.3")
    macs = dict(re.findall(r"port (\d+): net_pcap ([0-9a-f:]{17})", out))
    check(r == 0 and len(macs) == n, "probe run: the %d port MACs logged" % n)
    return [macs.get(str(i), "02:70:63:61:70:%02x" % i) for i in range(n)]


def run2(gw, tmp, conf_text, *ins, duration="2"):
    """Each port replays its frames once (as many ports as lists in ins, at least 2);
    (rc, stats, [out0, out1, ...], log)."""
    f = os.path.join(tmp, "gw.conf")
    open(f, "w").write(conf_text)
    ins = list(ins) + [[]] * (2 - len(ins))
    vdevs, outs = [], []
    for i, frames in enumerate(ins):
        inp, outp = os.path.join(tmp, "in%d.pcap" % i), os.path.join(tmp, "out%d.pcap" % i)
        G.write_pcap(inp, frames)
        if os.path.exists(outp):
            os.unlink(outp)
        vdevs.append("net_pcap%d,rx_pcap=%s,tx_pcap=%s" % (i, inp, outp))
        outs.append(outp)
    js = os.path.join(tmp, "s.json")
    if os.path.exists(js):
        os.unlink(js)
    r = subprocess.run([gw] + G.eal("fmipgw_t_route", *vdevs) +
                       ["-m", "512", "--", "--config", f, "--duration", duration,
                        "--stats-json", js], capture_output=True, text=True, timeout=120)
    s = json.load(open(js)) if os.path.exists(js) else {}
    return (r.returncode, s, [G.read_pcap(p) if os.path.exists(p) else [] for p in outs],
            r.stdout + r.stderr)


def udp(dst, src=HOST, hlim=64, n=0):
    return IPv6(src=src, dst=dst, hlim=hlim) / UDP(sport=4000 + n, dport=9) / (b"fmipgw%02d" % n)


def eth(pkt, dst, src=HOST_MAC):
    return bytes(Ether(dst=dst, src=src) / pkt)


def forwarded(pkt, dst_mac, src_mac):
    p = pkt.copy()
    p.hlim -= 1
    return eth(p, dst_mac, src_mac)


def ns(target, src=HOST, hlim=255, slla=HOST_MAC):
    p = IPv6(src=src, dst=sol_node(target), hlim=hlim) / ICMPv6ND_NS(tgt=target)
    return p / ICMPv6NDOptSrcLLAddr(lladdr=slla) if slla else p


def sol_node(a):
    b = bytes(IPv6(dst=a))[24 + 13:24 + 16]
    return "ff02::1:ff%02x:%02x%02x" % (b[0], b[1], b[2])


def mcast_mac(group):
    b = bytes(IPv6(dst=group))[24 + 12:24 + 16]
    return "33:33:" + ":".join("%02x" % x for x in b)


def tshark_clean(tmp, frames, what):
    p = os.path.join(tmp, "check.pcap")
    G.write_pcap(p, frames)
    for i, fr in enumerate(T.tshark(p)):
        probs = T.expert_problems(T.first(fr, "layers"))
        check(not probs, "%s frame %d: tshark finds no problem (%r)" % (what, i, probs))
    return T.tshark(p)


def t_pcap(gw, mkcred, fmipctl):
    tmp = tempfile.mkdtemp()
    try:
        d = G.creds(tmp, mkcred, fmipctl)
        text = conf(d)
        p0, p1 = port_macs(gw, tmp, text)
        a = udp("2001:db8:100:2::1", n=1)  # /40 via fe80::b, port 1
        b = udp("2001:db8:100:1::1", n=2)  # the longer /64 via fe80::a, port 0
        c = udp("2001:db8:ffff::1", n=3)  # default via fe80::b
        h1 = udp("2001:db8:100:2::1", hlim=1, n=4)
        h0 = udp("2001:db8:100:2::1", hlim=0, n=5)
        other = udp("2001:db8:100:2::1", n=6)  # for another MAC
        me = udp("2001:db8:1::1", n=7)  # the router's: no exception port
        ll = udp("2001:db8:100:2::1", src="fe80::100", n=8)  # link-local source
        err = IPv6(src=HOST, dst="2001:db8:100:2::1", hlim=1) / ICMPv6DestUnreach() / bytes(48)
        res = udp("2001:db8:1::200", n=9)  # connected, unknown: resolved, fails
        ns1 = ns("2001:db8:1::1")  # to ff02::1:ff00:1 = the PAR 2003::1's group: classifier
        ns2 = ns("2001:db8:1::abcd")  # to a group only the routing stage knows
        bad = ns("2001:db8:1::1", hlim=64)  # RFC 4861 7.1.1: dropped
        na = IPv6(src="2001:db8:1::300", dst="fe80::1", hlim=255) / ICMPv6ND_NA(
            tgt="2001:db8:1::300", R=0, S=0, O=1) / ICMPv6NDOptDstLLAddr(lladdr="02:00:00:00:03:00")
        in0 = [eth(x, p0) for x in (a, b, c, h1, h0)] + [eth(other, "02:00:00:00:99:99")] + \
              [eth(x, p0) for x in (me, ll, err, res)] + \
              [eth(x, mcast_mac(x.dst)) for x in (ns1, ns2, bad)] + [eth(na, p0)]
        rc, s, (o0, o1), log = run2(gw, tmp, text, in0)
        check(rc == 0, "routing run exits 0" + ("" if rc == 0 else " (%s)" % log[-400:]))
        exp1 = sorted([forwarded(a, B_MAC, p1), forwarded(c, B_MAC, p1)])
        check(sorted(o1) == exp1, "port 1: the /40 and the default route's packets, Hop Limit "
              "- 1, to fe80::b's MAC from port 1's (%d frames)" % len(o1))
        quote = lambda x: bytes(x)  # noqa: E731
        te = [eth(IPv6(src="2001:db8:1::1", dst=HOST, hlim=64) / ICMPv6TimeExceeded(code=0) /
                  quote(x), HOST_MAC, p0) for x in (h1, h0)]
        na_exp = [eth(IPv6(src=t, dst=HOST, hlim=255) /
                      ICMPv6ND_NA(tgt=t, R=1, S=1, O=1) / ICMPv6NDOptDstLLAddr(lladdr=p0),
                      HOST_MAC, p0) for t in ("2001:db8:1::1", "2001:db8:1::abcd")]
        solicit = eth(IPv6(src="fe80::1", dst=sol_node("2001:db8:1::200"), hlim=255) /
                      ICMPv6ND_NS(tgt="2001:db8:1::200") / ICMPv6NDOptSrcLLAddr(lladdr=p0),
                      mcast_mac(sol_node("2001:db8:1::200")), p0)
        exp0 = sorted([forwarded(b, A_MAC, p0)] + te + na_exp + [solicit] * 3)
        check(sorted(o0) == exp0,
              "port 0: the longer prefix's packet to fe80::a, Time Exceeded for Hop Limit 1 and "
              "0 from 2001:db8:1::1 quoting them, the NAs for both local addresses, 3 NSs for "
              "2001:db8:1::200 (%d frames, %d expected; missing %d)" %
              (len(o0), len(exp0), len([x for x in exp0 if x not in o0])))
        want = {"rx_packets": 14, "fwd_packets": 3, "fwd_drop_hlim": 3, "icmp6_err_queued": 2,
                "icmp6_err_suppressed": 1, "icmp6_err_sent": 2, "fwd_drop_l2_other": 1,
                "exc_drop_no_port": 1, "fwd_drop_scope": 1, "fwd_to_resolve": 1,
                "ns_sent_mcast": 3, "ctrl_nd": 4, "nd_rx": 4, "ns_rx": 2, "na_tx": 2,
                "nd_invalid": 1, "na_rx": 1, "fwd_drop_no_route": 0, "drop_pass": 0,
                "fwd_ctrl_tx": 0, "drop_malformed": 0}
        got = {k: s.get(k) for k in want}
        check(got == want, "counters: %s" % {k: (got[k], v) for k, v in want.items()
                                             if got[k] != v})
        frames = tshark_clean(tmp, o0 + o1, "routing output")
        types = sorted(T.first(T.first(f, "layers"), "icmpv6.type") or "-" for f in frames)
        check(types == sorted(["-"] * 3 + ["3", "3", "136", "136", "135", "135", "135"]),
              "tshark: 2 Time Exceeded, 2 NA, 3 NS, 3 UDP (%s)" % types)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def t_errors(gw, mkcred, fmipctl):
    tmp = tempfile.mkdtemp()
    try:
        d = G.creds(tmp, mkcred, fmipctl)
        text = conf(d, default="", rate=1, burst=2)
        p0, _ = port_macs(gw, tmp, text)
        miss = [udp("2001:db8:ffff::%x" % (i + 1), n=i) for i in range(4)]
        site = udp("ff05::2", n=9)  # beyond link scope: never routed
        mld = IPv6(src="fe80::100", dst="ff02::16", hlim=1) / ICMPv6MLReport()
        in0 = [eth(x, p0) for x in miss] + [eth(site, "33:33:00:00:00:02"),
                                            eth(mld, "33:33:00:00:00:16")]
        rc, s, (o0, o1), log = run2(gw, tmp, text, in0, duration="1.5")
        check(rc == 0, "no-route run exits 0" + ("" if rc == 0 else " (%s)" % log[-300:]))
        du = [eth(IPv6(src="2001:db8:1::1", dst=HOST, hlim=64) / ICMPv6DestUnreach(code=0) /
                  bytes(x), HOST_MAC, p0) for x in miss[:2]]
        check(sorted(o0) == sorted(du) and o1 == [],
              "Destination Unreachable 0 for the first 2 (error_burst 2), byte-equal to scapy's "
              "(%d frames)" % len(o0))
        want = {"fwd_drop_no_route": 4, "icmp6_err_queued": 2, "icmp6_err_ratelimited": 2,
                "icmp6_err_sent": 2, "fwd_drop_multicast": 2, "fwd_packets": 0}
        got = {k: s.get(k) for k in want}
        check(got == want, "counters: %s" % got)
        frames = tshark_clean(tmp, o0, "errors")
        codes = [(T.first(T.first(f, "layers"), "icmpv6.type"),
                  T.first(T.first(f, "layers"), "icmpv6.code"),
                  T.first(T.first(f, "layers"), "icmpv6.checksum.status")) for f in frames]
        check(codes == [("1", "0", "1")] * 2, "tshark: type 1 code 0, checksum good (%s)" % codes)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def t_exception(gw, mkcred, fmipctl):
    """Port 2 is port 0's exception port: what is for the router goes there unchanged, what
    comes from it leaves by port 0 unchanged; [exception] nd decides who answers NSs."""
    tmp = tempfile.mkdtemp()
    try:
        d = G.creds(tmp, mkcred, fmipctl)
        # three ports: more mbufs than the one-port sample (the sizing check refuses 2047)
        text = (conf(d).replace("mbufs = 2047", "mbufs = 4095") +
                "[exception]\nports = 2:0\nnd = %s\n")
        p0, _, _ = port_macs(gw, tmp, text % "false", 3)
        me = eth(udp("2001:db8:1::1", n=1), p0)
        ll = eth(udp("fe80::1", src="fe80::100", n=2), p0)
        ospf = eth(IPv6(src="fe80::100", dst="ff02::5", nh=89, hlim=1) / bytes(20),
                   "33:33:00:00:00:05")
        mld = eth(IPv6(src="fe80::100", dst="ff02::16", hlim=1) / ICMPv6MLReport(),
                  "33:33:00:00:00:16")
        ask = ns("2001:db8:1::1")
        nsf = eth(ask, mcast_mac(ask.dst))
        kernel = eth(IPv6(src="2001:db8:1::1", dst=HOST, hlim=64) / UDP(sport=7, dport=7) /
                     b"from the kernel", HOST_MAC, p0)
        na = eth(IPv6(src="2001:db8:1::1", dst=HOST, hlim=255) /
                 ICMPv6ND_NA(tgt="2001:db8:1::1", R=1, S=1, O=1) /
                 ICMPv6NDOptDstLLAddr(lladdr=p0), HOST_MAC, p0)
        for nd in ("false", "true"):
            rc, s, (o0, o1, o2), log = run2(gw, tmp, text % nd, [me, ll, ospf, mld, nsf], [],
                                            [kernel])
            check(rc == 0, "nd = %s: run exits 0" % nd + ("" if rc == 0 else log[-300:]))
            k = nd == "true"
            want2 = sorted([me, ll, ospf] + ([mld, nsf] if k else []))
            check(sorted(o2) == want2 and o1 == [],
                  "nd = %s: the local address's, the link-local's, OSPF's%s frames on the "
                  "exception port, unchanged (%d frames)" % (
                      nd, ", MLD's and the NS's" if k else "", len(o2)))
            check(sorted(o0) == sorted([kernel] + ([] if k else [na])),
                  "nd = %s: the kernel's frame out of port 0 unchanged%s" % (
                      nd, "; the kernel answers the NS" if k else "; fmipgw answers the NS"))
            want = {"exc_punted": 4 if k else 3,  # the NS copy: exc_nd_copied
                    "exc_injected": 1, "exc_nd_copied": int(k),
                    "na_tx": 0 if k else 1, "ns_rx": 1, "fwd_drop_multicast": 0 if k else 1,
                    "exc_drop_no_port": 0}
            got = {x: s.get(x) for x in want}
            check(got == want, "nd = %s: counters %s" % (nd, got))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def refused(tmp, cases, argv, how):
    """Each (name, text, line, what): argv --config FILE refuses it, exit 1, FILE:line: what."""
    f = os.path.join(tmp, "bad.conf")
    for name, text, line, what in cases:
        open(f, "w").write(text)
        r = subprocess.run(argv + ["--config", f] + (["--check"] if how == "--check" else []),
                           capture_output=True, text=True, timeout=60)
        exp = "%s:%d: " % (f, line)
        check(r.returncode == 1 and exp in r.stderr and what in r.stderr,
              "%s: %s exit 1 with '%s...%s' (%s)" % (name, how, exp, what,
                                                    r.stderr.strip()[-300:]))


def t_config(gw, mkcred, fmipctl):
    tmp = tempfile.mkdtemp()
    try:
        d = G.creds(tmp, mkcred, fmipctl)
        base = G.minimal(d)
        n = base.count("\n")
        rfile = os.path.join(tmp, "routes.txt")
        open(rfile, "w").write("# comment\n2001:db8::/32 via fe80::1 port 1\n\n"
                               "2001:db8:1::/64 sideways port 0\n")
        cases = [
            ("bad route line", base + "[routes]\nroute.x = 2001:db8::/32 via port 1\n", n + 2,
             "route.x: "),
            ("unknown [routes] key", base + "[routes]\nroutex = 1\n", n + 2, "unknown key"),
            ("route file line", base + "[routes]\nfile = %s\n" % rfile, n + 2,
             "%s:4: " % rfile),
            ("missing route file", base + "[routes]\nfile = %s.no\n" % rfile, n + 2,
             "No such file"),
            ("static neighbour", base + "[neighbours]\nstatic.x = fe80::1 port 1 zz\n", n + 2,
             "not a MAC address"),
            ("static twice", base + "[neighbours]\nstatic.x = fe80::1 port 1 02:00:00:00:00:01"
             "\nstatic.y = fe80::1 port 1 02:00:00:00:00:02\n", n + 3, "the same neighbour"),
            ("exception map", base + "[exception]\nports = 2:2\n", n + 2, "is not EXC:DATA"),
            ("exception twice", base + "[exception]\nports = 2:0,3:0\n", n + 2,
             "one exception port"),
            ("route to an exception port", base + "[exception]\nports = 2:0\n[routes]\n"
             "route.x = default via fe80::1 port 2\n", n + 4, "is an exception port"),
        ]
        refused(tmp, cases, [gw, "--"], "--check")
        ok = base + "[routes]\nroute.x = 2001:db8::/32 via fe80::1 port 1\n"
        f = os.path.join(tmp, "ok.conf")
        open(f, "w").write(ok)
        r = subprocess.run([gw, "--", "--config", f, "--check"], capture_output=True, text=True)
        check(r.returncode == 0, "a route line passes --check (%s)" % r.stderr.strip())
        # FIB errors need the ports: at start-up, with the route's line
        open(rfile, "w").write("2001:db8::/32 via fe80::1 port 0\n2001:db8::1/32 via fe80::1 "
                               "port 0\n")
        starts = [
            ("host bits", base + "[routes]\nroute.x = 2001:db8:1::/64 connected port 0\n"
             "route.y = 2001:db8::1/32 via fe80::1 port 0\n", n + 3, ": bits set past the /32"),
            ("no such port", base + "[routes]\nroute.x = default via fe80::1 port 3\n", n + 2,
             ": port 3, the gateway has ports 0-0"),
            ("route file host bits", base + "[routes]\nfile = %s\n" % rfile, n + 2,
             "%s:2: bits set past" % rfile),
            ("static on no port", base + "[routes]\nroute.x = default via fe80::1 port 0\n"
             "[neighbours]\nstatic.x = fe80::1 port 5 02:00:00:00:00:01\n", n + 4, "port 5"),
        ]
        refused(tmp, starts, [gw] + G.eal("fmipgw_t_rcfg", "net_null0") + ["--"], "start-up")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    {"pcap": t_pcap, "errors": t_errors, "exception": t_exception,
     "config": t_config}[cmd](*args)
    for p in G.PREFIXES:
        shutil.rmtree("/var/run/dpdk/" + p, ignore_errors=True)
    if G.failures:
        print("%d check(s) failed" % len(G.failures))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
