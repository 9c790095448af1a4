# SPDX-License-Identifier: BSD-3-Clause
"""Independent readers of what fmip-mn writes, for tests/fmip-mn (Python, not fmip-mn's C):
pcap frames split into their messages, FBU authenticators recomputed from the key-export file
(RFC 5568 6.4.5 with A2/A3/A20: NCoA || PAR || the MH with checksum zero and the authenticator
removed), RtSolPr signatures verified with the CGA option's key (fmippeer, RFC 3971 with A5),
the key-export format read as docs/fmip-mn.md defines it, and the JSON report."""
import hashlib
import hmac
import json
import os
import re
import shutil
import socket
import stat
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
import fmippeer as P  # noqa: E402

from cryptography.hazmat.primitives import serialization  # noqa: E402

MAGIC = "fmip-mn-keys 1"


def read_pcap(path):
    """[(ts, frame)] of a classic little-endian pcap (libpcap writes the host order)."""
    data = open(path, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    assert magic in (0xA1B2C3D4, 0xA1B23C4D), "not a little-endian pcap: %x" % magic
    assert struct.unpack("<I", data[20:24])[0] == 1, "link type is not Ethernet"
    off, out = 24, []
    while off + 16 <= len(data):
        s, us, incl, _ = struct.unpack("<IIII", data[off:off + 16])
        out.append((s + us / 1e6, data[off + 16:off + 16 + incl]))
        off += 16 + incl
    return out


def read_keys(path):
    """{cga bytes: (at, key, lifetime, pk_sha1)} from a key-export file (format version 1)."""
    st = os.stat(path)
    assert stat.S_IMODE(st.st_mode) == 0o600, "key file mode %o" % stat.S_IMODE(st.st_mode)
    lines = open(path).read().split("\n")
    assert lines[0] == MAGIC, "header %r" % lines[0]
    assert lines[-1] == "", "the file ends with a newline"
    keys = {}
    rec = re.compile(r"^(\S+) (\d+) ([0-9a-f]+) (\d+) ([0-9a-f]{40})$")
    for ln in lines[1:-1]:
        if ln.startswith("#"):
            continue
        m = rec.match(ln)
        assert m, "record %r" % ln
        at, key, life = int(m.group(2)), bytes.fromhex(m.group(3)), int(m.group(4))
        assert at <= 15 and len(key) == (20 if at == 0 else 32) and 1 <= life <= 65535, ln
        keys[socket.inet_pton(socket.AF_INET6, m.group(1))] = (at, key, life,
                                                                bytes.fromhex(m.group(5)))
    return keys


def split(frame):
    """A dict describing one Ethernet frame: ip6 (bytes), nh, and per message the fields the
    tests need.  Raises ValueError for what it does not understand."""
    if frame[12:14] != b"\x86\xdd":
        raise ValueError("not IPv6")
    ip6 = frame[14:]
    if ip6[0] >> 4 != 6:
        raise ValueError("not version 6")
    plen = struct.unpack("!H", ip6[4:6])[0]
    ip6 = ip6[:40 + plen]
    d = {"ip6": ip6, "src": ip6[8:24], "dst": ip6[24:40], "hlim": ip6[7], "nh": ip6[6]}
    nh, off, hao = ip6[6], 40, None
    if nh == 60:
        ln = (ip6[41] + 1) * 8
        o = 42
        while o < 40 + ln:
            if ip6[o] == 0:
                o += 1
                continue
            if ip6[o] == 201:
                hao = ip6[o + 2:o + 18]
            o += 2 + ip6[o + 1]
        nh, off = ip6[40], 40 + ln
    d["hao"], d["l4"], d["proto"] = hao, ip6[off:], nh
    if nh == 135:
        d.update(mh(ip6[off:]))
    elif nh == 58:
        d["icmp_type"], d["icmp_code"] = ip6[off], ip6[off + 1]
        if ip6[off] == 154:
            d["subtype"] = ip6[off + 4]
    return d


def mh(m):
    """The Mobility Header's type, sequence, flags, lifetime, Alt-CoA and BADF offsets."""
    out = {"mh_type": m[2], "mh": m}
    if m[2] not in (8, 9):
        return out
    out["seq"] = struct.unpack("!H", m[6:8] if m[2] == 8 else m[8:10])[0]
    out["lifetime"] = struct.unpack("!H", m[10:12])[0]
    o, end = 12, (m[1] + 1) * 8
    while o < end:
        if m[o] == 0:
            o += 1
            continue
        t, ln = m[o], m[o + 1]
        if t == 3:
            out["altcoa"] = m[o + 2:o + 18]
        elif t == 21:  # BADF, A3 long form: Length = SPI + authenticator
            out["badf_spi"] = struct.unpack("!I", m[o + 2:o + 6])[0]
            out["auth_off"], out["auth_len"] = o + 6, ln - 4
        o += 2 + ln
    return out


def fbu_mac_ok(d, keys):
    """The FBU's authenticator recomputed with the exported key of its HAO: True, False, or
    None when no key was exported for it."""
    k = keys.get(d["hao"])
    if k is None:
        return None
    at, key = k[0], k[1]
    alg, tlen = (hashlib.sha1, 12) if at == 0 else (hashlib.sha256, 16)
    m = bytearray(d["mh"])
    m[4:6] = b"\0\0"
    ncoa = d.get("altcoa") or d["src"]
    mac_in = ncoa + d["dst"] + bytes(m[:d["auth_off"]]) + bytes(m[d["auth_off"] + d["auth_len"]:])
    tag = hmac.new(key, mac_in, alg).digest()[:tlen]
    return d["auth_len"] == tlen and tag == bytes(m[d["auth_off"]:d["auth_off"] + tlen])


def mh_csum_ok(d):
    pseudo_src = d["hao"] or d["src"]
    m = bytearray(d["mh"])
    want = struct.unpack("!H", bytes(m[4:6]))[0]
    m[4:6] = b"\0\0"
    return P.l4_csum(pseudo_src, d["dst"], 135, bytes(m)) == want


def rtsolpr_sig_ok(d):
    """RFC 3971 5.2 with A5, by fmippeer: the CGA option's key signed it, and the source is the
    CGA of those parameters (Sec from the address)."""
    icmp = d["l4"]
    opts = P.nd_options(icmp, 8)
    cga = [o for t, _, o in opts if t == 11][0]
    params = cga[4:len(cga) - cga[2]]
    pub = serialization.load_der_public_key(P.cga_params_pubkey_der(params))
    if P.cga_address(params, d["src"][8] >> 5) != d["src"]:
        return False
    try:
        P.verify_icmp(d["src"], d["dst"], icmp, 8, pub)
        return True
    except Exception:
        return False


def run_mn(mn, args, timeout=300):
    """fmip-mn with the EAL options of a test (no hugepages, no PCI, a unique prefix)."""
    prefix = "fmip_mn_t%d" % os.getpid()
    cmd = [mn, "--no-huge", "--no-pci", "-m", "256", "--file-prefix", prefix, "--log-level",
           "lib.eal:error"] + args
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    finally:
        shutil.rmtree("/var/run/dpdk/" + prefix, ignore_errors=True)
    if r.returncode != 0:
        raise RuntimeError("fmip-mn failed (%d): %s\n%s" % (r.returncode, r.stderr[-2000:],
                                                            r.stdout[-2000:]))
    return r


def report(path):
    return json.load(open(path))
