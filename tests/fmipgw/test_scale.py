#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Tests of fmipgw's scaling inside one box ([lcores] slow, distribute, idle), on the real
binary with vdevs, --no-huge, lcores mapped onto this machine's two CPUs with --lcores.

usage: test_scale.py CMD GW MKCRED FMIPCTL VECTORS [ARG]
  slow K      K slow-path lcores (lcores 2.. on CPUs 0/1 in turn): 60 CGAs x 10 signed RtSolPr
              replayed through net_pcap; every solicitation answered exactly once, one key per
              CGA committed once (the 10 replies of a CGA carry the same key), the work done on
              the slow lcores (each served some, none on the control lcore), no stale decision
  commit      slow lcores over net_tap with the Python peer: each MN sends its FBU the moment
              it has decrypted its PrRtAdv; every FBU is accepted (the key was committed
              before the reply left), never dropped for want of a key
  dist        2 workers, one net_pcap port with one RX queue: software distribution; each
              frame lands on the worker CRC32-C of its IPv6 source and destination names (an
              independent CRC32-C here), counted once
  idle MODE   net_tap, pass_through = same: round-trip times after idle periods with idle =
              poll, adaptive or interrupt; sleeps/wake-ups counted, latency bounded
"""
import os
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import test_gw as T  # noqa: E402
import fmippeer as P  # noqa: E402
from test_gw import check, creds, minimal, read_pcap, write_pcap, eal  # noqa: E402

from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402

A = lambda s: socket.inet_pton(socket.AF_INET6, s)  # noqa: E731
MN_MAC = bytes.fromhex("020000000001")


def sec0_identities(vectors, n):
    """n CGAs of mn1's key (Sec 0, random modifiers: what one RSA key can mint), each with its
    CGA Parameters."""
    keys = os.path.join(vectors, "keys")
    mn1 = P.load_key(os.path.join(keys, "mn1.key.pem"))
    p1 = open(os.path.join(keys, "mn1.cga.params"), "rb").read()
    der = P.cga_params_pubkey_der(p1)
    out = []
    for _ in range(n):
        params = os.urandom(16) + p1[16:24] + b"\0" + der
        out.append((P.cga_address(params, 0), params))
    return mn1, P.load_key(os.path.join(keys, "mn2.key.pem")), out


def slow_lcores(k):
    """Control 0@0, worker 1@1, slow lcores 2.. alternating on CPUs 0 and 1."""
    return ",".join(["0@0", "1@1"] + ["%d@%d" % (2 + i, i % 2) for i in range(k)])


def t_slow(gw, mkcred, fmipctl, vectors, k):
    k = int(k)
    tmp = tempfile.mkdtemp()
    try:
        d = creds(tmp, mkcred, fmipctl)
        router_pub = x509.load_pem_x509_certificate(
            open(d + "/router.cert.pem", "rb").read()).public_key()
        mn1, mn2, ids = sec0_identities(vectors, 60)
        per = 10
        base = P.now48() + (2 << 16)
        frames = []
        for r in range(per):  # interleaved: each CGA's 10 arrive close together
            for cga, params in ids:
                pkt = P.rtsolpr(cga, P.ALL_ROUTERS, MN_MAC, params, mn1, mn2.public_key(), 0,
                                ts=base + r * 16)
                frames.append(P.eth(P.mcast_mac(P.ALL_ROUTERS), MN_MAC, pkt))
        n = len(frames)
        conf = os.path.join(tmp, "gw.conf")
        slow = ",".join(str(2 + i) for i in range(k))
        open(conf, "w").write(
            minimal(d, "pass_through = drop\n[policer]\nrtsolpr_rate = 0\n[lcores]\nslow = %s\n"
                    "idle = adaptive\n" % slow).replace("mbufs = 2047", "mbufs = 8191"))
        inp, outp = os.path.join(tmp, "in.pcap"), os.path.join(tmp, "out.pcap")
        write_pcap(inp, frames)
        lcs = ["/fmipgw/lcore,%d" % lc for lc in [0] + [2 + i for i in range(k)]]
        rc, s, tel, out = T.run_live(gw, conf, "fmipgw_t_slow%d" % k,
                                     ["net_pcap0,rx_pcap=%s,tx_pcap=%s" % (inp, outp)],
                                     action=lambda: wait_served(n), tel_cmds=[],
                                     lcores=slow_lcores(k))
        check(rc == 0 and "running: 1 worker(s)" in out, "%d slow lcores: starts, exit 0 (%s)"
              % (k, out[-400:]))
        got = {c: s.get(c) for c in ("rx_packets", "ctrl_rtsolpr", "rtsolpr_rx",
                                     "keys_provisioned", "keys_existing", "prrtadv_tx",
                                     "prov_stale_decision", "keys_commit_failed",
                                     "drop_ring_full")}
        want = {"rx_packets": n, "ctrl_rtsolpr": n, "rtsolpr_rx": n, "keys_provisioned": 60,
                "keys_existing": n - 60, "prrtadv_tx": n, "prov_stale_decision": 0,
                "keys_commit_failed": 0, "drop_ring_full": 0}
        check(got == want, "every RtSolPr answered once, one key per CGA committed once %s"
              % got)
        per_lcore = {c: LCORE_STATS.get(c, {}) for c in lcs}
        served = [per_lcore[c].get("rtsolpr_rx", 0) for c in lcs[1:]]
        check(per_lcore[lcs[0]].get("rtsolpr_rx") == 0 and sum(served) == n and
              all(x > 0 for x in served) and
              all(per_lcore[c].get("role") == "slow" for c in lcs[1:]),
              "the work ran on the %d slow lcores (%s), none on the control lcore" % (k, served))
        # the replies: each verifies, each CGA's 10 carry one and the same key
        keys, replies, keyless = {}, 0, 0
        for fr in read_pcap(outp):
            if len(fr) < 62 or fr[12:14] != b"\x86\xdd" or fr[14 + 6] != 58 or fr[54] != 154:
                continue
            ip = P.parse_ip6(fr[14:])
            r = P.prrtadv_key(fr[14:], router_pub, mn2)  # raises unless signed by the router
            if r is None:
                keyless += 1
            else:
                keys.setdefault(ip["dst"], set()).add(r[2])
            replies += 1
        check(replies == n and keyless == 0 and len(keys) == 60 and
              all(len(v) == 1 for v in keys.values()),
              "%d signed replies (%d without a key) for 60 CGAs, one key each (most per CGA: "
              "%d)" % (replies, keyless, max(len(v) for v in keys.values()) if keys else 0))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


LCORE_STATS = {}


def wait_served(n, timeout=30):
    """Until every RtSolPr was served (telemetry), then keep each lcore's counters."""
    t = P.Telemetry(T.PREFIXES[-1])
    end = time.time() + timeout
    while time.time() < end and t.stats().get("prrtadv_tx", 0) < n:
        time.sleep(0.2)
    for lc in range(8):
        c = "/fmipgw/lcore,%d" % lc
        ans = t.cmd(c).get("/fmipgw/lcore")
        if ans:
            LCORE_STATS[c] = ans
    t.close()


def crc32c(data, crc=0):
    """CRC-32C (Castagnoli, reflected 0x82F63B78) as the SSE4.2 instruction updates it: no
    initial or final inversion (rte_hash_crc with init 0)."""
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc


def t_dist(gw, mkcred, fmipctl, vectors):
    tmp = tempfile.mkdtemp()
    try:
        d = creds(tmp, mkcred, fmipctl)
        par = A("2003::1")
        frames, want = [], [0, 0]
        for i in range(400):  # FBUs for PCoAs without a key: each drops as no key, once
            pcoa = A("2003::%x:%x" % (i + 1, i * 7 + 3))
            ncoa = A("2003:0:0:2::%x" % (i + 1))
            pkt = P.fbu(pcoa, ncoa, par, bytes(20), 0, 1)[0]
            frames.append(P.eth(bytes.fromhex("020000000002"), MN_MAC, pkt))
            want[crc32c(pkt[8:40]) % 2] += 1
        conf = os.path.join(tmp, "gw.conf")
        open(conf, "w").write(minimal(d, "pass_through = drop\n[lcores]\ndistribute = auto\n")
                              .replace("mbufs = 2047", "mbufs = 8191"))
        inp = os.path.join(tmp, "in.pcap")
        write_pcap(inp, frames)
        # one RX queue, three TX queues: two workers and the control lcore
        vdev = "net_pcap0,rx_pcap=%s,tx_pcap=%s,tx_pcap=%s,tx_pcap=%s" % (
            inp, os.path.join(tmp, "o0.pcap"), os.path.join(tmp, "o1.pcap"),
            os.path.join(tmp, "o2.pcap"))
        rc, s, tel, out = T.run_live(gw, conf, "fmipgw_t_dist", [vdev],
                                     tel_cmds=["/fmipgw/lcore,1", "/fmipgw/lcore,2"],
                                     lcores="0@0,1@1,2@1")
        check(rc == 0 and "software distribution" in out,
              "two workers on a one-queue port: distribution announced (%s)" % out[-300:])
        w = tel.get("/fmipgw/lcore") or {}
        check(s.get("rx_packets") == 400 and s.get("fbu_rx") == 400 and
              s.get("drop_fbu_no_key") == 400 and s.get("drop_dist_full") == 0,
              "every frame received once and counted once (%s)" % {
                  c: s.get(c) for c in ("rx_packets", "fbu_rx", "drop_fbu_no_key",
                                        "drop_dist_full")})
        check(s.get("dist_tx") == want[1] and s.get("dist_rx") == want[1],
              "worker 0 handed worker 1 exactly the frames CRC32-C(src, dst) %% 2 names "
              "(%d; dist_tx %s, dist_rx %s)" % (want[1], s.get("dist_tx"), s.get("dist_rx")))
        check(w.get("worker") == 1 and w.get("rx_packets") == 0 and
              w.get("fbu_rx") == want[1] and w.get("dist_rx") == want[1],
              "worker 1 (lcore 2) polled nothing and took its %d from the ring (%s)" % (
                  want[1], {c: w.get(c) for c in ("worker", "rx_packets", "fbu_rx", "dist_rx")}))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def tap_gw(gw, conf_text, tmp, tag, lcores="0-1"):
    """The gateway on a net_tap port moved into a namespace: (Gw, Link, ns)."""
    import test_gw_e2e as E
    conf = os.path.join(tmp, "gw.conf")
    open(conf, "w").write(conf_text)
    ns = "fmipgw_%s_%d" % (tag, os.getpid())
    ifname = "fgs%d" % (os.getpid() % 100000)
    prefix = "fmipgw_t_%s_%d" % (tag, os.getpid())
    T.PREFIXES.append(prefix)
    g = E.Gw(gw, conf, prefix, ifname, lcores=lcores)
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        link = E.tap_in_netns(ifname, ns)
    except Exception:
        g.stop()
        subprocess.run(["ip", "netns", "del", ns])
        raise
    return g, link, ns


def t_commit(gw, mkcred, fmipctl, vectors):
    import test_gw_e2e as E
    tmp = tempfile.mkdtemp()
    g = ns = None
    try:
        d = creds(tmp, mkcred, fmipctl)
        router_pub = x509.load_pem_x509_certificate(
            open(d + "/router.cert.pem", "rb").read()).public_key()
        text = E.CONFIG.format(d=d, hk_lifetime=43200, rate=0, burst=64) + \
            "[lcores]\nslow = 2,3\nidle = adaptive\n"
        g, link, ns = tap_gw(gw, text, tmp, "commit", lcores=slow_lcores(2))
        mn1, mn2, ids = sec0_identities(vectors, 40)
        accepted = lost = 0
        for cga, params in ids:
            nonce = os.urandom(14)
            link.send(P.rtsolpr(cga, P.ALL_ROUTERS, MN_MAC, params, mn1, mn2.public_key(), 0,
                                nonce=nonce), dst_mac=P.mcast_mac(P.ALL_ROUTERS))
            _, rep = link.recv(lambda ip6: ip6[6] == 58 and ip6[40] == 154 and
                               ip6[44] == 3 and ip6[24:40] == cga, timeout=5)
            if rep is None:
                lost += 1
                continue
            at, life, key = P.prrtadv_key(rep, router_pub, mn2, nonce)
            # at once: were the key not committed yet, this FBU would find no key
            link.send(P.fbu(cga, A("2003:0:0:2::1"), E.PAR, key, at, 1)[0])
            accepted += 1
        time.sleep(0.5)
        s = g.stats()
        check(lost == 0 and accepted == 40, "40 MNs provisioned through 2 slow lcores "
              "(lost %d)" % lost)
        check(s["fbu_accepted"] == 40 and s["drop_fbu_no_key"] == 0,
              "each FBU sent the moment its reply arrived was accepted: no reply left before "
              "its commit (accepted %d, no key %d)" % (s["fbu_accepted"], s["drop_fbu_no_key"]))
        check(g.stop() == 0, "SIGTERM: exit 0")
        g = None
    finally:
        if g is not None:
            g.stop()
        if ns is not None:
            subprocess.run(["ip", "netns", "del", ns])
        shutil.rmtree(tmp, ignore_errors=True)


def rtt(link, n, gap):
    """n round trips, each after `gap` seconds of silence: an echo request to another host
    goes in and comes back out of the same port (pass_through = same).  Microseconds."""
    out = []
    for i in range(n):
        time.sleep(gap)
        ident = os.urandom(2)
        icmp = P.finish_icmp(A("2003::42"), A("2003::77"),
                             struct.pack("!BBH", 128, 0, 0) + ident + struct.pack("!H", i))
        pkt = P.ip6_hdr(A("2003::42"), A("2003::77"), 58, len(icmp), 64) + icmp
        t0 = time.perf_counter()
        link.send(pkt)
        _, got = link.recv(lambda ip6: ip6[6] == 58 and ip6[40] == 128 and
                           ip6[44:46] == ident, timeout=2)
        if got is not None:
            out.append((time.perf_counter() - t0) * 1e6)
    return out


def t_idle(gw, mkcred, fmipctl, vectors, mode):
    tmp = tempfile.mkdtemp()
    g = ns = None
    try:
        d = creds(tmp, mkcred, fmipctl)
        sleep_us = 2000
        text = minimal(d, "pass_through = same\n[lcores]\nidle = %s\nidle_sleep_us = %d\n"
                       % (mode, sleep_us))
        g, link, ns = tap_gw(gw, text, tmp, "idle_" + mode)
        rtt(link, 3, 0.05)  # warm-up (the link's first frames)
        times = rtt(link, 20, 0.2)
        lc = g.tel.cmd("/fmipgw/lcore,1").get("/fmipgw/lcore") or {}
        med = statistics.median(times) if times else -1
        print("idle = %s: %d round trips after 200 ms idle: median %.0f us, max %.0f us; "
              "sleeps %s, interrupt wake-ups %s, load %s" % (
                  mode, len(times), med, max(times) if times else -1, lc.get("idle_sleeps"),
                  lc.get("idle_wakeups"), lc.get("load")), flush=True)
        check(len(times) == 20, "every round trip came back (%d/20)" % len(times))
        if mode == "poll":
            check(lc.get("idle_sleeps") == 0, "poll never sleeps (%s)" % lc.get("idle_sleeps"))
        else:
            check(lc.get("idle_sleeps", 0) > 0, "%s slept while idle (%s)" % (
                mode, lc.get("idle_sleeps")))
            # the worst added latency is one sleep (interrupt: one millisecond-rounded wait),
            # plus this script's own scheduling on a shared machine
            check(max(times) < sleep_us + 20000, "%s: every wake-up within one sleep "
                  "(+20 ms of slack; max %.0f us)" % (mode, max(times) if times else -1))
        if mode == "interrupt":
            check(lc.get("idle_wakeups", 0) > 0, "RX interrupts ended waits (%s)" %
                  lc.get("idle_wakeups"))
        check(float(lc.get("load", "1")) < 0.5, "idle: the worker's load is low (%s)" %
              lc.get("load"))
        check(g.stop() == 0, "SIGTERM: exit 0")
        g = None
    finally:
        if g is not None:
            g.stop()
        if ns is not None:
            subprocess.run(["ip", "netns", "del", ns])
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    {"slow": t_slow, "dist": t_dist, "commit": t_commit, "idle": t_idle}[cmd](*args)
    for p in T.PREFIXES:
        shutil.rmtree("/var/run/dpdk/" + p, ignore_errors=True)
    if T.failures:
        print("%d check(s) failed" % len(T.failures))
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
