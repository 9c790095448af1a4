# SPDX-License-Identifier: BSD-3-Clause
"""The two-link harness of test_handover_e2e.py: the real fmipgw binary on two net_tap ports
moved into one network namespace — port 0 the PAR's access link (the MN's old link), port 1
the NAR side / uplink (the NAR, the correspondent node, the MN after it moved) — and raw
sockets on both, read together so that no frame is lost between two expectations."""
import os
import select
import signal
import socket
import subprocess
import time

import fmippeer as P
import test_gw_e2e as E

GW_MAC = (bytes.fromhex("0200000000aa"), bytes.fromhex("0200000000bb"))  # ports 0, 1


class Links:
    """Raw Ethernet on the access link (0) and the NAR side (1); every frame received is kept
    in order until a test takes it."""

    def __init__(self, names):
        self.s = []
        for n in names:
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
            s.bind((n, 0))
            self.s.append(s)
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


class Gw2(E.Gw):
    """fmipgw on two taps with fixed MACs (E.Gw's start-up and telemetry)."""

    def __init__(self, binary, conf, prefix, names):
        vdevs = ["--vdev", "net_tap1,iface=%s,mac=%s" % (names[1], mac_str(GW_MAC[1]))]
        super().__init__(binary, conf, prefix, "%s,mac=%s" % (names[0], mac_str(GW_MAC[0])),
                         extra_eal=vdevs)

    def tel_cmd(self, c):
        return self.tel.cmd(c)[c.split(",")[0]]


def mac_str(b):
    return ":".join("%02x" % x for x in b)


def into_netns(names, ns):
    """Move both taps into ns, IPv6 off (no kernel traffic), up; then enter ns."""
    for n in names:
        subprocess.run(["ip", "link", "set", n, "netns", ns], check=True)
    for n in names:
        subprocess.run(["ip", "netns", "exec", ns, "sysctl", "-qw",
                        "net.ipv6.conf.%s.disable_ipv6=1" % n], check=True)
        subprocess.run(["ip", "netns", "exec", ns, "ip", "link", "set", n, "up"], check=True)
    E.setns(ns)
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


def remove_dir(path):
    subprocess.run(["rm", "-rf", path])
    return not os.path.exists(path)
