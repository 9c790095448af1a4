# SPDX-License-Identifier: BSD-3-Clause
"""The two-link harness of test_handover_e2e.py: the real fmipgw binary on two net_tap ports
moved into one network namespace — port 0 the PAR's access link (the MN's old link), port 1
the NAR side / uplink (the NAR, the correspondent node, the MN after it moved) — and raw
sockets on both, read together so that no frame is lost between two expectations; and the
test's vocabulary: the MN's state (T: its FBUs, FBacks checked with its key, its binding), the
predictive exchange with the peer as NAR, provisioning, tshark on every frame kept."""
import os
import select
import signal
import socket
import time

import fmippeer as P
import fmippeer_handover as H
import gwrun as R
import test_gw_e2e as E

GW_MAC = (bytes.fromhex("0200000000aa"), bytes.fromhex("0200000000bb"))  # ports 0, 1
A = E.A
PAR = A("2003::1")
NAR = A("2003:0:0:2::1")
NAR_LLA = bytes.fromhex("02000000000b")
CN = A("2001:db8::99")
CN_MAC = bytes.fromhex("0200000000cc")
check = R.check


class Links:
    """Raw Ethernet on the access link (0) and the NAR side (1); every frame received is kept
    in order until a test takes it."""

    def __init__(self, names):
        self.s = [R.raw_socket(n) for n in names]
        self.q = []  # (time, link, frame)

    def send(self, link, ip6, dst_mac=None, src_mac=E.MN_MAC):
        self.s[link].send(P.eth(dst_mac or GW_MAC[link], src_mac, ip6))

    def _pump(self, timeout):
        r, _, _ = select.select(self.s, [], [], max(0.0, timeout))
        for s in r:
            try:
                data, addr = s.recvfrom(65535)
            except OSError:
                continue
            if addr[2] == socket.PACKET_OUTGOING or data[12:14] != b"\x86\xdd":
                continue
            self.q.append((time.time(), self.s.index(s), data))
        return bool(r)

    def drain(self, secs=0.2):
        """Forget what came (the kernel's or earlier steps')."""
        end = time.time() + secs
        while time.time() < end:
            self._pump(end - time.time())
        self.q = []

    def take(self, pred, timeout=3.0):
        """The first frame (time, link, frame) for which pred(link, ip6) holds, removed from
        the queue; None after timeout."""
        end = time.time() + timeout
        while True:
            for i, (t, ln, fr) in enumerate(self.q):
                try:
                    ok = pred(ln, fr[14:])
                except (ValueError, IndexError, KeyError):
                    ok = False
                if ok:
                    del self.q[i]
                    return t, ln, fr
            if time.time() >= end:
                return None
            self._pump(end - time.time())

    def gather(self, secs, pred):
        """Every frame matching pred within secs, removed from the queue, in order."""
        end, out = time.time() + secs, []
        while True:
            got = self.take(pred, max(0.0, end - time.time()))
            if got is None:
                return out
            out.append(got)


def gw2(run, binary, conf, prefix, names):
    """fmipgw on two taps with fixed MACs (gwrun's start-up, telemetry and teardown)."""
    vdevs = ["--vdev", "net_tap1,iface=%s,mac=%s" % (names[1], mac_str(GW_MAC[1]))]
    return run.gateway(binary, conf, prefix, "%s,mac=%s" % (names[0], mac_str(GW_MAC[0])),
                       extra_eal=vdevs)


def mac_str(b):
    return ":".join("%02x" % x for x in b)


def into_netns(names, ns):
    """Move both taps into ns, IPv6 off (no kernel traffic), up; then enter ns."""
    R.taps_into_netns(names, ns)
    R.setns(ns)
    return Links(names)


def stop(gw):
    return gw.stop(signal.SIGTERM)


def is_mh(ip, mh_type):
    return ip[6] == 135 and ip[42] == mh_type


def is_tunnel_to(ip, dst):
    return ip[6] == 41 and ip[24:40] == dst


def wait_for(fn, timeout=3.0):
    """Poll fn() until it is true (or timeout); its last value."""
    end = time.time() + timeout
    while True:
        v = fn()
        if v or time.time() > end:
            return v
        time.sleep(0.05)


# ---- the test's vocabulary ---------------------------------------------------------------

captured = []  # frames for tshark


def keep(got):
    if got is not None:
        captured.append(got[2])
    return got


def ncoa(n):
    return A("2003:0:0:2::%x" % n)


class T:
    """The run's state: gateway, links, the MN's key."""

    def __init__(self, gw, links, pcoa, key, at):
        self.gw, self.l, self.pcoa, self.key, self.at = gw, links, pcoa, key, at
        self.seq = 0

    def fbu(self, dst_ncoa, par_link=True, lifetime=10, seq=None, forge=False):
        self.seq = self.seq + 1 if seq is None else seq
        pkt, _, _ = P.fbu(self.pcoa, dst_ncoa, PAR, self.key, self.at, self.seq, par_link,
                          lifetime, forge=forge, mh_lla=None if par_link else E.MN_MAC)
        return pkt

    def binding(self):
        return self.gw.tel_cmd("/fmipgw/binding," + socket.inet_ntop(socket.AF_INET6,
                                                                       self.pcoa))

    def hi(self, timeout=2.0):
        return keep(self.l.take(lambda ln, ip: ln == 1 and is_mh(ip, H.MH_HI), timeout))

    def fback_tunnel(self, exit_addr, timeout=2.0):
        """The FBack through the tunnel to exit (on the NAR side): the inner packet."""
        got = keep(self.l.take(lambda ln, ip: ln == 1 and is_tunnel_to(ip, exit_addr) and
                               ip[46] == 135 and ip[82] == H.MH_FBACK, timeout))
        if got is None:
            return None, None
        return got[2], H.fback_verify(got[2][14 + 40:], self.key, self.at)

    def fback_old(self, timeout=2.0):
        got = keep(self.l.take(lambda ln, ip: ln == 0 and is_mh(ip, H.MH_FBACK) and
                               ip[24:40] == self.pcoa, timeout))
        if got is None:
            return None, None
        return got[2], H.fback_verify(got[2][14:], self.key, self.at)

    def data(self, size=64, hlim=30, src=CN):
        # text, not random octets: tshark's heuristic dissectors take random UDP payloads
        # for some protocol now and then and call them malformed
        text = (b"fmipgw handover test payload %d " % size) * (size // 20 + 1)
        return H.udp_packet(src, self.pcoa, text[:size], hlim=hlim, tc=0xB8, flow=0x12345)


def expect_moves(gw, exp, action, others=()):
    before = gw.stats()
    action()
    ok, got, moved, _ = E.delta(gw, before, exp, others)
    return ok, got, moved


def predictive_accept(t, n, policy="accept", assigned=None, what="predictive FBU"):
    """FBU from the PAR's link for NCoA n; the NAR answers policy.  Returns the FBack
    (parsed) from the tunnel and the HI."""
    t.l.drain(0.05)
    t.l.send(0, t.fbu(ncoa(n)))
    hi = t.hi()
    check(hi is not None, "%s: HI sent to the NAR" % what)
    if hi is None:
        return None, None
    m = H.mh_parse(hi[2][14:])
    check(hi[2][0:6] == NAR_LLA and hi[2][6:12] == GW_MAC[1] and
          (m["ip"]["src"], m["ip"]["dst"]) == (PAR, NAR) and m["csum_ok"],
          "%s: HI from the PAR address to the NAR's address and link-layer address" % what)
    check(m["code"] == 0 and m["flags"] == 0 and m["lla"] == (2, E.MN_MAC) and
          m["ipaddr"] == {1: (128, t.pcoa), 2: (128, ncoa(n))},
          "%s: HI Code 0, MH-LLA of the MN, PCoA and NCoA options (%s)" % (
              what, {k: m[k] for k in ("code", "flags", "lla", "ipaddr")}))
    early = t.l.take(lambda ln, ip: is_mh(ip, H.MH_FBACK) or
                     (ip[6] == 41 and ip[82] == H.MH_FBACK), 0.3)
    check(early is None, "%s: no FBack before the HAck (RFC 5568 6.2.3)" % what)
    check(t.binding().get("state") == "pending", "%s: binding pending" % what)
    ans = H.nar_answer(hi[2][14:], policy, assigned)
    captured.append(P.eth(GW_MAC[1], NAR_LLA, ans))
    t.l.send(1, ans, src_mac=NAR_LLA)
    return m, hi


def provision_fn(lk, gw, cga, params, sign_key, enc_key, at, router_pub, router_ll):
    class L:  # provision() talks to one Link: the access link
        def send(self, pkt, mac=E.GW_DST_MAC):
            lk.send(0, pkt, dst_mac=mac)

        def recv(self, pred, timeout=3.0):
            got = lk.take(lambda ln, ip: ln == 0 and pred(ip), timeout)
            return (got[2][:14], got[2][14:]) if got else (None, None)

    def again():
        res, _, _ = E.provision(L(), gw, cga, params, sign_key, enc_key, at, router_pub,
                                router_ll)
        return res[2] if res else None
    return again


def tshark_all(tmp):
    path = os.path.join(tmp, "handover.pcap")
    H.write_pcap(path, captured)
    frames = H.tshark_frames(path)
    bad = [(i, f["problems"]) for i, f in enumerate(frames) if f["problems"]]
    types = sorted({int(v) for f in frames for v in f["mip6.mhtype"]})
    check(len(frames) == len(captured) and not bad and {9, 14, 15} <= set(types) and
          sum(1 for f in frames if "41" in f["ipv6.nxt"]) >= 3,
          "tshark dissects all %d FBack/HI/HAck/tunnel frames without a warning %s" % (
              len(frames), bad[:3]))
