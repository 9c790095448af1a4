# SPDX-License-Identifier: BSD-3-Clause
"""The handover half of the independent peer (fmippeer.py is the key half), written from
RFC 5568, RFC 2473, RFC 3775 and PROTOCOL.md, not from the C code:

* Mobility Header messages: FBack (MH 9) with its BADF checked with the MN's key (PROTOCOL.md
  1.9: A2, A3, A20; an own HMAC through hmac/hashlib), HI (14) and HAck (15) with the MH-LLA
  (option 7) and MH IPv6 Address (option 34, codes 1/2) options (RFC 5568 6.2.1, 6.4.2, 6.4.4);
* the NAR role: nar_answer() turns an HI into the HAck a NAR would send (accept, assign an
  NCoA, refuse with 128-130) or into silence (to make the PAR retransmit and time out);
* the tunnel: a data packet to the PCoA, the check of the IPv6-in-IPv6 packet that arrives at
  the NCoA side (RFC 2473 section 5: outer fields; the original packet identical but for its
  Hop Limit, section 3.1), and the reverse-tunnelled packet an MN sends;
* plain pcap files and tshark's verdict on them.

Only the Python standard library.  `fmippeer_handover.py --selftest VECTORS_DIR` checks the
published FBack (PROTOCOL.md 10.5) and the builders/parsers against each other;
tests/e2e/test_peer_handover.py adds the cross-checks with the C library and tshark.
"""
import hashlib
import hmac
import json
import os
import shutil
import socket
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fmippeer import MAC_ALG, l4_csum  # noqa: E402

MH_FBU, MH_FBACK, MH_HI, MH_HACK = 8, 9, 14, 15
OPT_PAD1, OPT_PADN, OPT_ALTCOA, OPT_MHLLA, OPT_BADF, OPT_IPADDR = 0, 1, 3, 7, 21, 34
IPA_PCOA, IPA_NCOA = 1, 2  # MH IPv6 Address Option-Codes: old / new care-of address
HI_S, HI_U = 0x80, 0x40
HACK_CODE = {"accept": 0, "not-valid": 1, "assign": 2, "use-pcoa": 3, "refuse": 128,
             "admin": 129, "resources": 130}
FBACK_STATUS = {0: "accepted", 1: "accepted, use the Alternate CoA", 128: "unspecified",
                129: "administratively prohibited", 130: "insufficient resources",
                131: "incorrect interface identifier length"}
EXT_HDRS = (0, 43, 44, 60)  # walked to find the upper layer (RFC 8200 4.1)

# ---- building -------------------------------------------------------------------------------


def ip6(src, dst, nh, payload, hlim=64, tc=0, flow=0):
    """An IPv6 packet (RFC 8200 section 3) with Traffic Class and Flow Label."""
    vtf = (6 << 28) | (tc << 20) | (flow & 0xFFFFF)
    return struct.pack("!IHBB", vtf, len(payload), nh, hlim) + src + dst + payload


def _pad(n):
    """Pad1 or PadN of exactly n octets (RFC 3775 6.2.2)."""
    return b"" if n == 0 else b"\0" if n == 1 else bytes([OPT_PADN, n - 2]) + b"\0" * (n - 2)


def _align(mh, n, k):
    """Pad so that the next option starts at n*i + k from the MH start."""
    return mh + _pad((k - len(mh)) % n)


def _mh_header(mh_type):
    return bytearray([59, 0, mh_type, 0, 0, 0])  # Payload Proto 59, checksum 0 for now


def _mh_finish(mh, extra=0):
    """Pad to 8n and set Header Len; extra: octets still to be appended (the tag)."""
    mh += _pad((-(len(mh) + extra)) % 8)
    mh[1] = (len(mh) + extra) // 8 - 1
    return mh


def _mh_packet(src, dst, mh, hlim=64):
    mh = bytearray(mh)
    mh[4:6] = b"\0\0"
    mh[4:6] = struct.pack("!H", l4_csum(src, dst, 135, bytes(mh)))
    return ip6(src, dst, 135, bytes(mh), hlim)


def hi(par, nar, seq, code=0, flags=0, mn_lla=None, pcoa=None, ncoa=None):
    """An HI (RFC 5568 6.2.1.1): Sequence, S|U flags, Code; MH-LLA (code 2) of the MN, MH IPv6
    Address options code 1 (PCoA) and 2 (NCoA) at 8n+4."""
    mh = _mh_header(MH_HI) + struct.pack("!HBB", seq, flags, code)
    if mn_lla is not None:
        mh += bytes([OPT_MHLLA, 1 + len(mn_lla), 2]) + mn_lla
    for opt_code, a in ((IPA_PCOA, pcoa), (IPA_NCOA, ncoa)):
        if a is not None:
            mh = _align(mh, 8, 4) + bytes([OPT_IPADDR, 18, opt_code, 128]) + a
    return _mh_packet(par, nar, _mh_finish(mh))


def hack(nar, par, seq, code, ncoa=None):
    """An HAck (RFC 5568 6.2.1.2): Sequence copied from the HI, Code, the NCoA (option 34,
    code 2) when the NAR provides one."""
    mh = _mh_header(MH_HACK) + struct.pack("!HBB", seq, 0, code)
    if ncoa is not None:
        mh = _align(mh, 8, 4) + bytes([OPT_IPADDR, 18, IPA_NCOA, 128]) + ncoa
    return _mh_packet(nar, par, _mh_finish(mh))


def fback(par, ncoa, key, at, seq, status=0, lifetime=10, altcoa=None, flags=0, short=False):
    """An FBack (RFC 5568 6.2.3) from the PAR to the NCoA with its BADF (SPI 0) placed as A20
    says, Length 4 + tag (A3; short: Length = tag, the other form A3 accepts).  MAC input:
    NCoA || PAR || the MH with checksum 0, the authenticator left out (PROTOCOL.md 1.9).
    Returns (packet, mac_input, tag)."""
    alg, tlen = MAC_ALG[at]
    mh = _mh_header(MH_FBACK) + struct.pack("!BBHH", status, flags, seq, lifetime)
    if altcoa is not None:
        mh = _align(mh, 8, 6) + bytes([OPT_ALTCOA, 16]) + altcoa
    mh = _align(mh, 8, (-(6 + tlen)) % 8)
    mh += bytes([OPT_BADF, tlen if short else 4 + tlen]) + struct.pack("!I", 0)
    mh = _mh_finish(mh, tlen)
    mac_in = ncoa + par + bytes(mh)
    tag = hmac.new(key, mac_in, alg).digest()[:tlen]
    return _mh_packet(par, ncoa, bytes(mh) + tag), mac_in, tag


# ---- parsing --------------------------------------------------------------------------------


def ip6_parse(pkt):
    """IPv6 header and the extension chain up to the upper layer; the Home Address option."""
    if len(pkt) < 40 or pkt[0] >> 4 != 6:
        raise ValueError("not IPv6")
    vtf, plen, nh, hlim = struct.unpack("!IHBB", pkt[:8])
    if 40 + plen > len(pkt):
        raise ValueError("payload length beyond the packet")
    ip = {"tc": (vtf >> 20) & 0xFF, "flow": vtf & 0xFFFFF, "plen": plen, "hlim": hlim,
          "src": pkt[8:24], "dst": pkt[24:40], "hao": None}
    off, end = 40, 40 + plen
    while nh in EXT_HDRS:
        if off + 8 > end:
            raise ValueError("truncated extension header")
        hl = 8 if nh == 44 else (pkt[off + 1] + 1) * 8
        if nh == 60:
            o = off + 2
            while o + 1 < off + hl:
                if pkt[o] == 0:
                    o += 1
                    continue
                if pkt[o] == 201 and pkt[o + 1] == 16 and o + 18 <= off + hl:
                    ip["hao"] = pkt[o + 2:o + 18]
                o += 2 + pkt[o + 1]
        nh = pkt[off]
        off += hl
    ip["proto"], ip["l4"] = nh, pkt[off:end]
    return ip


def mh_parse(pkt):
    """A Mobility Header packet: header, checksum (pseudo-source = HAO if present; next header
    135, A16), the fixed part of FBU/FBack/HI/HAck, options with their alignment.  The walk
    stops at the BADF (the last option); what follows it is kept for the MAC (A20)."""
    ip = ip6_parse(pkt)
    mh = ip["l4"]
    if ip["proto"] != 135 or len(mh) < 8 or (mh[1] + 1) * 8 != len(mh) or mh[0] != 59:
        raise ValueError("not a well-formed Mobility Header")
    zero = mh[:4] + b"\0\0" + mh[6:]
    m = {"ip": ip, "mh": mh, "type": mh[2],
         "csum_ok": l4_csum(ip["hao"] or ip["src"], ip["dst"], 135, zero) ==
         struct.unpack("!H", mh[4:6])[0],
         "altcoa": None, "lla": None, "ipaddr": {}, "badf": None}
    fixed = {MH_FBU: "!HBBH", MH_FBACK: "!BBHH", MH_HI: "!HBB", MH_HACK: "!HBB"}
    names = {MH_FBU: ("seq", "flags", "reserved", "lifetime"),
             MH_FBACK: ("status", "flags", "seq", "lifetime"),
             MH_HI: ("seq", "flags", "code"), MH_HACK: ("seq", "reserved", "code")}
    if m["type"] not in fixed:
        return m
    fmt = fixed[m["type"]]
    m.update(zip(names[m["type"]], struct.unpack(fmt, mh[6:6 + struct.calcsize(fmt)])))
    o = 6 + struct.calcsize(fmt)
    while o < len(mh):
        t = mh[o]
        if t == OPT_PAD1:
            o += 1
            continue
        if o + 2 > len(mh):
            raise ValueError("option header truncated")
        ln = mh[o + 1]
        if t == OPT_BADF:
            m["badf"] = (o, ln)
            break
        if o + 2 + ln > len(mh):
            raise ValueError("option %d runs past the MH" % t)
        body = mh[o + 2:o + 2 + ln]
        if t == OPT_ALTCOA:
            if ln != 16 or o % 8 != 6:
                raise ValueError("Alternate CoA: length or alignment")
            m["altcoa"] = body
        elif t == OPT_IPADDR:
            if ln != 18 or o % 8 != 4:
                raise ValueError("MH IPv6 Address: length or alignment")
            m["ipaddr"][body[0]] = (body[1], body[2:18])
        elif t == OPT_MHLLA:
            m["lla"] = (body[0], body[1:])
        o += 2 + ln
    return m


def _only_padding(b):
    """Octets after the BADF may only be Pad1/PadN (the BADF is the last option)."""
    o = 0
    while o < len(b):
        if b[o] == OPT_PAD1:
            o += 1
        elif b[o] == OPT_PADN and o + 1 < len(b) and o + 2 + b[o + 1] <= len(b):
            o += 2 + b[o + 1]
        else:
            raise ValueError("BADF is not the last option")


def badf_check(m, key, at):
    """Verify the BADF of a parsed FBU/FBack with key (AT at).  A3: Length 4 + tag, or Length
    = tag when the option then ends exactly at the MH end; SPI 0; the MAC input is CoA || PAR
    || MH with checksum 0 and only the authenticator left out (A2: for an FBack CoA = its
    destination, PAR = its source).  Returns (ok, mac_input, authenticator)."""
    alg, tlen = MAC_ALG[at]
    mh = m["mh"]
    if m["badf"] is None:
        raise ValueError("no BADF")
    off, ln = m["badf"]
    if ln == 4 + tlen and off + 6 + tlen <= len(mh):
        _only_padding(mh[off + 6 + tlen:])
    elif not (ln == tlen and off + 6 + tlen == len(mh)):
        raise ValueError("BADF length %d does not match AT %d" % (ln, at))
    if struct.unpack("!I", mh[off + 2:off + 6])[0] != 0:
        raise ValueError("BADF SPI is not 0 (RFC 5568 6.4.5)")
    auth = mh[off + 6:off + 6 + tlen]
    data = mh[:4] + b"\0\0" + mh[6:off + 6] + mh[off + 6 + tlen:]
    if m["type"] == MH_FBACK:
        coa, par = m["ip"]["dst"], m["ip"]["src"]
    else:
        coa, par = m["altcoa"] or m["ip"]["src"], m["ip"]["dst"]
    mac_in = coa + par + data
    want = hmac.new(key, mac_in, alg).digest()[:tlen]
    return hmac.compare_digest(want, auth), mac_in, auth


def fback_verify(pkt, key, at):
    """Parse an FBack and check it the way the MN does: checksum, Alt-CoA with status 1
    (RFC 5568 6.2.3), BADF with the MN's key.  Returns the parsed message; raises on any
    failure (ValueError says which)."""
    m = mh_parse(pkt)
    if m["type"] != MH_FBACK:
        raise ValueError("not an FBack")
    if not m["csum_ok"]:
        raise ValueError("bad MH checksum")
    if m["status"] == 1 and m["altcoa"] is None:
        raise ValueError("status 1 without an Alternate CoA")
    ok, m["mac_input"], m["auth"] = badf_check(m, key, at)
    if not ok:
        raise ValueError("BADF authenticator does not verify")
    return m


def nar_answer(hi_pkt, policy="accept", assigned=None):
    """The NAR's answer to an HI (RFC 5568 6.2.1.2): an HAck from the HI's destination to its
    source with its Sequence #, or None for policy "silent" (the PAR then retransmits and times
    out).  policy: a HACK_CODE name.  "assign" puts the assigned NCoA in option 34 code 2; so
    does "accept" when the HI's S flag asks for it (echoing the HI's NCoA).  An HI without
    the MN's MH-LLA cannot be served: code 128."""
    m = mh_parse(hi_pkt)
    if m["type"] != MH_HI or not m["csum_ok"]:
        raise ValueError("not a valid HI")
    if policy == "silent":
        return None
    code, ncoa = HACK_CODE[policy], None
    if m["lla"] is None or m["lla"][0] != 2:
        code = HACK_CODE["refuse"]
    elif policy == "assign":
        if m["code"] == 1 or assigned is None:
            raise ValueError("codes 1, 2 and 4 are not relevant to an HI with Code 1")
        ncoa = assigned
    elif policy == "accept" and m["flags"] & HI_S and IPA_NCOA in m["ipaddr"]:
        ncoa = m["ipaddr"][IPA_NCOA][1]
    return hack(m["ip"]["dst"], m["ip"]["src"], m["seq"], code, ncoa)


# ---- the tunnel (RFC 2473) ------------------------------------------------------------------


def udp_packet(src, dst, payload, hlim=64, tc=0, flow=0, sport=40000, dport=40001):
    """An IPv6/UDP data packet with its checksum (RFC 8200 8.1)."""
    u = bytearray(struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload)
    c = l4_csum(src, dst, 17, bytes(u)) or 0xFFFF
    u[6:8] = struct.pack("!H", c)
    return ip6(src, dst, 17, bytes(u), hlim, tc, flow)


def tunnel_check(outer, sent, tun_src, ncoa, hop_limit=64, tc=None, flow=0):
    """Check the IPv6-in-IPv6 packet (no L2, trailer allowed) that arrived at the NCoA side for
    the original packet `sent`: RFC 2473 section 5 — version 6, Traffic Class (tc None: copied
    from the original), Flow Label, Payload Length = the original's length, Next Header 41,
    the tunnel Hop Limit, source = the tunnel entry point, destination = the NCoA; the original
    packet identical but for its Hop Limit, one less (section 3.1).  Returns the inner packet;
    raises ValueError naming the first difference."""
    ip = ip6_parse(outer)
    want_tc = ((sent[0] & 0x0F) << 4 | sent[1] >> 4) if tc is None else tc
    checks = (("next header", outer[6], 41), ("hop limit", ip["hlim"], hop_limit),
              ("source", ip["src"], tun_src), ("destination", ip["dst"], ncoa),
              ("traffic class", ip["tc"], want_tc), ("flow label", ip["flow"], flow),
              ("payload length", ip["plen"], len(sent)))
    for what, got, want in checks:
        if got != want:
            raise ValueError("tunnel %s: %r, expected %r" % (what, got, want))
    inner = outer[40:40 + ip["plen"]]
    if sent[7] < 2 or inner[7] != sent[7] - 1:
        raise ValueError("inner Hop Limit %d for %d sent" % (inner[7], sent[7]))
    if inner[:7] != sent[:7] or inner[8:] != sent[8:]:
        raise ValueError("inner packet differs beyond its Hop Limit")
    return inner


def reverse_tunnel(ncoa, tun_src, inner, hlim=64, tc=0, flow=0):
    """What the MN sends from the NAR's link: its packet (source PCoA) inside IPv6 from the
    NCoA to the PAR's tunnel address (RFC 5568 section 4)."""
    return ip6(ncoa, tun_src, 41, inner, hlim, tc, flow)


# ---- pcap files and tshark ------------------------------------------------------------------


def write_pcap(path, frames):
    """A classic pcap file of Ethernet frames (link type 1)."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", i, 0, len(fr), len(fr)) + fr)


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    e = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    out, o = [], 24
    while o + 16 <= len(data):
        caplen = struct.unpack(e + "IIII", data[o:o + 16])[2]
        out.append(data[o + 16:o + 16 + caplen])
        o += 16 + caplen
    return out


TSHARK_FIELDS = ("frame.protocols", "mip6.mhtype", "_ws.expert.severity",
                 "_ws.expert.message", "_ws.malformed", "ipv6.nxt", "ipv6.src", "ipv6.dst",
                 "ipv6.hlim", "mip6.fback.status", "mip6.hi.code", "mip6.hack.code",
                 "mip6.mhipv6ap.ipv6_address")
SEV_WARN = 0x00600000


def tshark_frames(path):
    """tshark's dissection of each frame: {field: [values]} for TSHARK_FIELDS, plus
    'problems': the expert items of severity warning or worse and malformed marks."""
    exe = shutil.which("tshark")
    if not exe:
        raise RuntimeError("tshark not found: it is a test dependency (scripts/deps.sh)")
    args = [exe, "-n", "-r", path, "-T", "fields", "-E", "separator=\t", "-E",
            "occurrence=a", "-E", "aggregator=;"]
    for fld in TSHARK_FIELDS:
        args += ["-e", fld]
    env = dict(os.environ, HOME=os.environ.get("HOME", "/tmp"))
    r = subprocess.run(args, capture_output=True, env=env, timeout=300, check=True)
    out = []
    for line in r.stdout.decode().splitlines():
        cols = line.split("\t")
        fr = {k: (v.split(";") if v else []) for k, v in zip(TSHARK_FIELDS, cols)}
        sev, msg = fr["_ws.expert.severity"], fr["_ws.expert.message"]
        fr["problems"] = [(m, s) for s, m in zip(sev, msg) if int(s) >= SEV_WARN]
        fr["problems"] += [("malformed", 0)] * len(fr["_ws.malformed"])
        out.append(fr)
    return out


# ---- self test ------------------------------------------------------------------------------


def a6(s):
    return socket.inet_pton(socket.AF_INET6, s)


def selftest(vectors_dir):
    """The published FBack (PROTOCOL.md 10.5), the FBU vectors through the parser, and the
    HI/HAck builders, parsers and NAR policies against each other."""
    d = json.load(open(os.path.join(vectors_dir, "reference.json")))["fbu"]
    par, ncoa, pcoa = a6(d["par"]), a6(d["ncoa"]), a6(d["pcoa"])
    key = bytes.fromhex(d["at0"]["key"])
    ref = bytes.fromhex(d["at0"]["fback_ipv6"])
    m = fback_verify(ref, key, 0)
    assert m["mac_input"].hex() == d["at0"]["fback_mac_input"]
    assert m["auth"].hex() == d["at0"]["fback_authenticator"]
    assert (m["status"], m["seq"], m["lifetime"], m["ip"]["src"], m["ip"]["dst"]) == \
        (0, 1, 10, par, ncoa)
    assert fback(par, ncoa, key, 0, 1)[0] == ref, "FBack rebuild differs from 10.5"
    # a changed authenticator, lifetime or status (checksum made right again) fails the MAC
    for off, val in ((31, ref[40 + 31] ^ 1), (11, 11), (6, 128)):
        mh = bytearray(ref[40:])
        mh[off] = val
        try:
            fback_verify(_mh_packet(par, ncoa, mh), key, 0)
            raise AssertionError("a tampered FBack verified")
        except ValueError as e:
            assert "BADF" in str(e), e
    for k2, at in ((key[:-1] + b"\0", 0), (key, 1)):
        try:
            fback_verify(ref, k2, at)
            raise AssertionError("wrong key or AT accepted")
        except ValueError:
            pass
    for kw in ({"short": True}, {"status": 1, "altcoa": a6("2003::2:1")}):
        pkt = fback(par, ncoa, key, 0, 7, **kw)[0]
        assert fback_verify(pkt, key, 0)["seq"] == 7
    at1 = bytes.fromhex(d["at1"]["key"])
    assert fback_verify(fback(par, ncoa, at1, 1, 3)[0], at1, 1)["auth"]
    # the FBU vectors: HAO as the checksum's pseudo-source, Alt-CoA, BADF
    for link in ("from_par_link", "from_nar_link"):
        m = mh_parse(bytes.fromhex(d["at0"][link + "_ipv6"]))
        assert m["type"] == MH_FBU and m["csum_ok"] and m["ip"]["hao"] == pcoa
        ok, mac_in, _ = badf_check(m, key, 0)
        assert ok and mac_in.hex() == d["at0"][link + "_mac_input"], link
    # HI / HAck and the NAR's policies
    nar, lla, ncoa2 = a6("2003:0:0:2::1"), bytes.fromhex("020000000001"), a6("2003::2:99")
    h = hi(par, nar, 7, 0, HI_S | HI_U, lla, pcoa, ncoa)
    m = mh_parse(h)
    assert (m["type"], m["seq"], m["flags"], m["code"], m["csum_ok"]) == (14, 7, 0xC0, 0, True)
    assert m["lla"] == (2, lla) and m["ipaddr"] == {1: (128, pcoa), 2: (128, ncoa)}
    for policy, want_code, want_ncoa in (("accept", 0, ncoa), ("assign", 2, ncoa2),
                                         ("refuse", 128, None), ("admin", 129, None),
                                         ("resources", 130, None)):
        a = mh_parse(nar_answer(h, policy, ncoa2))
        assert (a["type"], a["seq"], a["code"], a["csum_ok"]) == (15, 7, want_code, True)
        assert (a["ip"]["src"], a["ip"]["dst"]) == (nar, par)
        assert a["ipaddr"].get(IPA_NCOA, (0, None))[1] == want_ncoa, policy
    assert nar_answer(h, "silent") is None
    h1 = hi(par, nar, 8, 1, 0, lla)
    assert mh_parse(nar_answer(h1, "accept"))["ipaddr"] == {}
    assert mh_parse(nar_answer(hi(par, nar, 9), "accept"))["code"] == 128  # no MH-LLA
    try:
        nar_answer(h1, "assign", ncoa2)
        raise AssertionError("an NCoA assigned for an HI with Code 1")
    except ValueError:
        pass
    # tunnel: a packet to the PCoA, encapsulated by hand, checks; a changed octet does not
    sent = udp_packet(a6("2001:db8::99"), pcoa, b"payload", hlim=30, tc=0xB8, flow=0x12345)
    inner = bytearray(sent)
    inner[7] -= 1
    outer = ip6(a6("2003:0:0:1::1"), ncoa, 41, bytes(inner), 64, 0xB8, 0)
    assert tunnel_check(outer, sent, a6("2003:0:0:1::1"), ncoa) == bytes(inner)
    for off in (7, 40 + 7, 60):
        bad = bytearray(outer)
        bad[off] ^= 1
        try:
            tunnel_check(bytes(bad), sent, a6("2003:0:0:1::1"), ncoa)
            raise AssertionError("a changed octet at %d passed" % off)
        except ValueError:
            pass
    return True


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "--selftest":
        sys.exit("usage: fmippeer_handover.py --selftest VECTORS_DIR")
    selftest(sys.argv[2])
    print("fmippeer_handover self-test: ok")
