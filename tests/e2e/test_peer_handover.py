#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The independent peer's handover functions (fmippeer_handover.py) against the published
vectors, against what the C code builds, and under tshark (suite 'e2e'; needs no gateway).

usage: test_peer_handover.py VECTORS_DIR BINDING_PCAP_TOOL WORK_DIR

1. fmippeer_handover.selftest(): the published FBack (PROTOCOL.md 10.5) verified with the
   MN's key and rebuilt byte for byte, tampered copies refused, HI/HAck and the NAR policies;
2. HI/HAck from lib/wire's builders equal the peer's own, octet for octet, and parse;
   FBacks from lib/wire (status 0 and status 1 with an Alternate CoA) verify with the key;
3. frames the peer builds, encapsulated by lib/binding's binding_encap(): every output equals
   the frame the peer expects from RFC 2473 (tunnel_check on the IPv6 part, the whole frame
   byte-compared), the refused ones carry their code (too big, hop limit, frag needed);
   default options and (fixed Traffic Class, copied Flow Label, Hop Limit 17, MTU 1300);
4. reverse-tunnelled frames the peer builds, through binding_decap_parse/_strip(): addresses
   reported, the output frame = the L2 header + the original packet; malformed ones refused;
5. tshark dissects every FBack, HI, HAck and tunnelled frame above without an expert item of
   severity warning or worse, as the message / IPv6-in-IPv6 it is.
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fmippeer_handover as ho  # noqa: E402
from fmippeer import eth  # noqa: E402

FAILS = []
MAC_MN, MAC_GW, MAC_NH = (bytes.fromhex(x) for x in ("020000000001", "02000000000a",
                                                      "020000000009"))
MAC_PAR, MAC_NAR = bytes.fromhex("02000000000a"), bytes.fromhex("02000000000b")


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print("FAIL: " + what)


def run(tool, *args):
    r = subprocess.run([tool] + [str(a) for a in args], capture_output=True, timeout=120)
    check(r.returncode == 0, "%s %s: exit %d %s" % (os.path.basename(tool), args[0],
                                                    r.returncode, r.stderr[-300:]))
    return [json.loads(x) for x in r.stdout.decode().splitlines() if x.startswith("{")]


def addrs(d):
    fb = d["fbu"]
    return ho.a6(fb["par"]), ho.a6(fb["ncoa"]), ho.a6(fb["pcoa"]), bytes.fromhex(
        fb["at0"]["key"])


def mh_cross(tool, work, d, tshark_frames):
    par, ncoa, pcoa, key = addrs(d)
    nar, lla = ho.a6("2003:0:0:2::1"), MAC_MN
    path = os.path.join(work, "mh.pcap")
    run(tool, "mh", path, "2003::1", "2003:0:0:2::1", d["fbu"]["pcoa"], d["fbu"]["ncoa"],
        "02:00:00:00:00:01", 7)
    got = ho.read_pcap(path)
    want = [ho.hi(par, nar, 7, 0, ho.HI_S | ho.HI_U, lla, pcoa, ncoa),
            ho.hi(par, nar, 7, 1, 0, lla), ho.hack(nar, par, 7, 0),
            ho.hack(nar, par, 7, 2, ncoa), ho.hack(nar, par, 7, 130)]
    check(len(got) == len(want), "mh: %d frames" % len(got))
    for i, (g, w) in enumerate(zip(got, want)):
        check(g[14:] == w, "mh frame %d: lib/wire and the peer differ:\n %s\n %s" %
              (i, g[14:].hex(), w.hex()))
        m = ho.mh_parse(g[14:])
        check(m["csum_ok"] and m["seq"] == 7, "mh frame %d: checksum or sequence" % i)
    # the NAR answers lib/wire's HI with what lib/wire would build for that answer
    check(ho.nar_answer(got[0][14:], "assign", ncoa) == got[3][14:], "NAR answer != lib/wire")
    tshark_frames += [(g, "mh", 14 if i < 2 else 15) for i, g in enumerate(got)]
    tshark_frames += [(eth(MAC_NAR, MAC_PAR, w), "mh", 14 if i < 2 else 15)
                      for i, w in enumerate(want)]
    for st, alt in ((0, None), (1, "2003::2:77")):
        path = os.path.join(work, "fback%d.pcap" % st)
        args = ["fback", path, "2003::1", d["fbu"]["ncoa"], key.hex(), 1, 10, st]
        run(tool, *(args + ([alt] if alt else [])))
        fr = ho.read_pcap(path)[0]
        try:
            m = ho.fback_verify(fr[14:], key, 0)
            check(m["status"] == st and m["altcoa"] == (ho.a6(alt) if alt else None),
                  "fback %d: fields" % st)
        except ValueError as e:
            check(False, "fback %d from lib/wire: %s" % (st, e))
        mine = ho.fback(par, ncoa, key, 0, 1, st, 10, ho.a6(alt) if alt else None)[0]
        check(fr[14:] == mine, "fback %d: lib/wire and the peer differ" % st)
        if st == 0:
            check(fr[14:].hex() == d["fbu"]["at0"]["fback_ipv6"], "fback != vector 10.5")
        tshark_frames.append((fr, "mh", 9))


def encap_inputs(pcoa):
    """(frame, original packet, vlan) the peer sends toward the PCoA."""
    cn = ho.a6("2001:db8::99")
    cases = [(ho.udp_packet(cn, pcoa, b"x" * 58, 64, 0xB8, 0x12345), None),
             (ho.udp_packet(cn, pcoa, bytes(range(256)) * 4, 9, 0x02, 0xABCDE), None),
             (ho.udp_packet(cn, pcoa, b"tagged", 2, 0, 0), 0x123),
             (ho.udp_packet(cn, pcoa, b"\0" * (1460 - 48), 64), None),  # exactly 1460
             (ho.udp_packet(cn, pcoa, b"\0" * (1461 - 48), 64), None),  # 1461
             (ho.udp_packet(cn, pcoa, b"\0" * (1261 - 48), 64), None),  # 1261
             (ho.udp_packet(cn, pcoa, b"hop", 1), None)]
    out = []
    for pkt, vlan in cases:
        if vlan is None:
            fr = eth(MAC_GW, MAC_MN, pkt)
        else:
            fr = MAC_GW + MAC_MN + bytes([0x81, 0, vlan >> 8, vlan & 0xFF, 0x86, 0xDD]) + pkt
        out.append((fr, pkt, vlan))
    return out


def encap_cross(tool, work, d, tshark_frames):
    par, ncoa, pcoa, _ = addrs(d)
    tun_src = ho.a6("2003:0:0:1::1")
    inputs = encap_inputs(pcoa)
    src = os.path.join(work, "encap_in.pcap")
    ho.write_pcap(src, [f for f, _, _ in inputs])
    runs = (([], dict(hop_limit=64, tc=None, flow=0, mtu=1500)),
            (["tc=0x20", "flow=copy", "hop_limit=17", "mtu=1300"],
             dict(hop_limit=17, tc=0x20, flow="copy", mtu=1300)))
    for opts, exp in runs:
        dst = os.path.join(work, "encap_out.pcap")
        lines = run(tool, "encap", src, dst, "2003:0:0:1::1", d["fbu"]["ncoa"],
                    "eth_dst=02:00:00:00:00:09", "eth_src=02:00:00:00:00:0a", *opts)
        outs = iter(ho.read_pcap(dst))
        check(len(lines) == len(inputs), "encap %s: %d results" % (opts, len(lines)))
        for (fr, pkt, vlan), line in zip(inputs, lines):
            tmtu = exp["mtu"] - 40
            want_rc = ("hop limit" if pkt[7] <= 1 else
                       "ok" if len(pkt) <= tmtu else
                       "too big" if len(pkt) > 1280 else "frag needed")
            tag = "encap %s frame %d (%d octets)" % (opts, line["frame"], len(pkt))
            check(line["rc"] == want_rc, "%s: %s, expected %s" % (tag, line["rc"], want_rc))
            check(line["ptb_mtu"] == max(tmtu, 1280), tag + ": Packet Too Big MTU")
            if line["rc"] != "ok":
                continue
            got = next(outs)
            l2 = 18 if vlan is not None else 14
            flow = ho.ip6_parse(pkt)["flow"] if exp["flow"] == "copy" else exp["flow"]
            try:
                inner = ho.tunnel_check(got[l2:], pkt, tun_src, ncoa, exp["hop_limit"],
                                        exp["tc"], flow)
            except ValueError as e:
                check(False, "%s: %s" % (tag, e))
                continue
            ip_tc = ho.ip6_parse(pkt)["tc"] if exp["tc"] is None else exp["tc"]
            want = MAC_NH + MAC_GW + fr[12:l2] + ho.ip6(tun_src, ncoa, 41, inner,
                                                        exp["hop_limit"], ip_tc, flow)
            check(got == want, tag + ": frame differs from the peer's")
            check(line["inner_len"] == len(pkt), tag + ": inner_len")
            tshark_frames.append((got, "tunnel", 17))


def decap_cross(tool, work, d, tshark_frames):
    par, ncoa, pcoa, _ = addrs(d)
    tun_src, cn = ho.a6("2003:0:0:1::1"), ho.a6("2001:db8::99")
    inner = ho.udp_packet(pcoa, cn, b"from the MN", 64, 0x10, 0x777)
    good = ho.reverse_tunnel(ncoa, tun_src, inner)
    frames = [eth(MAC_PAR, MAC_MN, good),
              eth(MAC_PAR, MAC_MN, good) + b"\xee" * 6,       # padding: stripped
              eth(MAC_PAR, MAC_MN, good[:-1]),                # truncated
              eth(MAC_PAR, MAC_MN, good[:6] + b"\x3c" + good[7:]),  # Dest Options: refused
              eth(MAC_PAR, MAC_MN, good[:6] + b"\x11" + good[7:])]  # not a tunnel
    want_rc = ["ok", "ok", "malformed", "tunnel ext header", "not tunnel"]
    src, dst = os.path.join(work, "decap_in.pcap"), os.path.join(work, "decap_out.pcap")
    ho.write_pcap(src, frames)
    lines = run(tool, "decap", src, dst)
    outs = iter(ho.read_pcap(dst))
    check([x["rc"] for x in lines] == want_rc, "decap results %r" % [x["rc"] for x in lines])
    for line in lines:
        if line["rc"] != "ok":
            continue
        got = next(outs)
        check((line["outer_src"], line["outer_dst"], line["inner_src"], line["inner_dst"]) ==
              (d["fbu"]["ncoa"], "2003:0:0:1::1", d["fbu"]["pcoa"], "2001:db8::99"),
              "decap frame %d: addresses %r" % (line["frame"], line))
        check(line["strip"] == "ok" and got == eth(MAC_PAR, MAC_MN, inner),
              "decap frame %d: output is not L2 + the original packet" % line["frame"])
    tshark_frames.append((frames[0], "tunnel", 17))


def tshark_check(work, frames):
    path = os.path.join(work, "handover.pcap")
    ho.write_pcap(path, [f for f, _, _ in frames])
    got = ho.tshark_frames(path)
    check(len(got) == len(frames), "tshark saw %d frames of %d" % (len(got), len(frames)))
    for i, (fr, (_, kind, want)) in enumerate(zip(got, frames)):
        tag = "tshark frame %d (%s): " % (i + 1, kind)
        check(not fr["problems"], tag + "expert items %r" % fr["problems"])
        protos = fr["frame.protocols"][0] if fr["frame.protocols"] else ""
        if kind == "mh":
            check(protos.endswith("ipv6:mipv6") and fr["mip6.mhtype"] == [str(want)],
                  tag + "%s / mhtype %r" % (protos, fr["mip6.mhtype"]))
        else:
            check(":ipv6:ipv6:udp" in protos and fr["ipv6.nxt"][:2] == ["41", "17"],
                  tag + "%s / next headers %r" % (protos, fr["ipv6.nxt"]))
    print("tshark: %d frames dissected" % len(got))


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    vectors, tool, work = sys.argv[1:]
    os.makedirs(work, exist_ok=True)
    d = json.load(open(os.path.join(vectors, "reference.json")))
    ho.selftest(vectors)
    tshark_frames = [(eth(MAC_NAR, MAC_PAR, bytes.fromhex(d["fbu"]["at0"]["fback_ipv6"])),
                      "mh", 9)]
    mh_cross(tool, work, d, tshark_frames)
    encap_cross(tool, work, d, tshark_frames)
    decap_cross(tool, work, d, tshark_frames)
    tshark_check(work, tshark_frames)
    if FAILS:
        print("%d failure(s)" % len(FAILS))
        sys.exit(1)
    print("peer handover checks: ok")


if __name__ == "__main__":
    main()
