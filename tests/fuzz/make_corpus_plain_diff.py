#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Regenerate the seed corpus of fuzz_plain_diff (tests/fuzz/corpus_plain_diff/).

usage: make_corpus_plain_diff.py OUT_DIR

Seeds: plain IPv6 frames as the routing stage sees them (RFC 8200 header straight to UDP,
TCP, ESP or No Next Header), untagged, behind an 802.1Q tag and raw; with an Ethernet trailer,
Traffic Class and Flow Label set; and the near misses the fast decoder must refuse: every
extension header and the upper layers wire_decode_frame() decodes further (ICMPv6, MH,
IPv6-in-IPv6), a Payload Length past the frame, a zero Payload Length (jumbogram), version 4,
an IPv4 ethertype, a double tag, a cut header.
"""
import hashlib
import os
import struct
import sys

SRC = bytes.fromhex('20010db8000000000000000000000001')
DST = bytes.fromhex('20010db8000100000000000000000002')


def ip6(nh, payload, plen=None, ver=6, tc=0, fl=0, hlim=64):
    plen = len(payload) if plen is None else plen
    return struct.pack('!IHBB', (ver << 28) | (tc << 20) | fl, plen, nh, hlim) + SRC + DST + \
        payload


def eth(body, tags=(), ethertype=0x86dd):
    h = bytes.fromhex('027063617000' '020000000009')
    for t in tags:
        h += struct.pack('!HH', 0x8100, t)
    return h + struct.pack('!H', ethertype) + body


def seeds():
    udp = struct.pack('!HHHH', 40000, 9, 10, 0) + b'\x5a\x5a'
    for nh, pl in ((17, udp), (6, bytes(20)), (50, bytes(16)), (59, b''), (59, bytes(8)),
                   (0, bytes(8) + udp), (43, bytes(8)), (44, bytes(8)), (60, bytes(8)),
                   (58, bytes(8)), (135, bytes(8)), (41, ip6(17, udp))):
        p = ip6(nh, pl, tc=0xab, fl=0xc005d)
        yield eth(p)
        yield eth(p, tags=(0x2064,))
        yield p
        yield eth(p) + b'\xee' * 4
    yield eth(ip6(17, udp, plen=40))      # Payload Length past the frame
    yield eth(ip6(17, udp, plen=0))       # a jumbogram without its option
    yield eth(ip6(17, udp, ver=4))
    yield eth(ip6(17, udp), ethertype=0x0800)
    yield eth(ip6(17, udp), tags=(5, 6))  # a double tag
    yield eth(ip6(17, udp))[:30]          # a cut header


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for s in seeds():
        with open(os.path.join(out, hashlib.sha1(s).hexdigest()), 'wb') as f:
            f.write(s)


if __name__ == '__main__':
    main()
