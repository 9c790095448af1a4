#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""The ICMPv6 error, NS and NA builders of lib/wire against two independent implementations.

usage: test_icmp6_nd.py GEN WORK_DIR

GEN (tests/wire/gen_icmp6_nd.c) writes a pcap of every kind of error and NS/NA the builders
make and, per frame, the builder's inputs and its output.  For each frame:
  * scapy builds the same packet from the inputs alone (RFC 4443 §2.4 (c): the invoking packet
    quoted up to 1280 - 48 octets; scapy computes its own checksum), and the octets must be
    equal;
  * tshark dissects it as the intended ICMPv6 type/code (and MTU, pointer, target, link-layer
    address, flags) with a correct checksum and no expert item of severity warning or error.
"""
import ipaddress
import json
import os
import subprocess
import sys

from scapy.layers.inet6 import (IPv6, ICMPv6DestUnreach, ICMPv6PacketTooBig, ICMPv6TimeExceeded,
                                ICMPv6ParamProblem, ICMPv6ND_NS, ICMPv6ND_NA,
                                ICMPv6NDOptSrcLLAddr, ICMPv6NDOptDstLLAddr)
from scapy.packet import Raw

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'fmipctl'))
import test_tshark as T  # noqa: E402  (tshark runner, JSON pairs, expert items)

MIN_MTU = 1280


def mac(h):
    return ':'.join(h[i:i + 2] for i in range(0, 12, 2))


def scapy_error(m):
    inv = bytes.fromhex(m['invoking'])
    plen = int.from_bytes(inv[4:6], 'big')
    inv = inv[:40 + plen]
    quote = inv[:MIN_MTU - 48]
    t, c, p = m['type'], m['code'], m['param']
    icmp = {1: lambda: ICMPv6DestUnreach(code=c),
            2: lambda: ICMPv6PacketTooBig(code=c, mtu=p),
            3: lambda: ICMPv6TimeExceeded(code=c),
            4: lambda: ICMPv6ParamProblem(code=c, ptr=p)}[t]()
    return bytes(IPv6(src=m['src'], dst=IPv6(inv).src, hlim=m['hlim']) / icmp / Raw(quote))


def scapy_ns(m):
    dst = m['dst']
    if dst is None:  # the target's solicited-node group (RFC 4291 §2.7.1)
        low = ipaddress.IPv6Address(m['target']).packed[13:]
        dst = str(ipaddress.IPv6Address(bytes.fromhex('ff0200000000000000000001ff') + low))
    p = IPv6(src=m['src'], dst=dst, hlim=255) / ICMPv6ND_NS(tgt=m['target'])
    if m['slla']:
        p = p / ICMPv6NDOptSrcLLAddr(lladdr=mac(m['slla']))
    return bytes(p)


def scapy_na(m):
    f = m['flags']
    p = IPv6(src=m['src'], dst=m['dst'], hlim=255) / ICMPv6ND_NA(
        R=(f >> 7) & 1, S=(f >> 6) & 1, O=(f >> 5) & 1, tgt=m['target'])
    if m['tlla']:
        p = p / ICMPv6NDOptDstLLAddr(lladdr=mac(m['tlla']))
    return bytes(p)


def first_icmp(layers, key):
    """The outer ICMPv6 layer's field (a quoted packet's fields come later in document order)."""
    v = T.get_all(layers, key)
    return v[0] if v else None


def check_tshark(frame, m):
    tag = 'frame %d (%s): ' % (m['frame'], m['kind'])
    layers = T.first(frame, 'layers')
    want_type = {'error': m.get('type'), 'ns': 135, 'na': 136}[m['kind']]
    T.check(first_icmp(layers, 'icmpv6.type') == str(want_type),
            tag + 'icmpv6.type %r' % first_icmp(layers, 'icmpv6.type'))
    T.check(first_icmp(layers, 'icmpv6.code') == str(m.get('code', 0)),
            tag + 'icmpv6.code %r' % first_icmp(layers, 'icmpv6.code'))
    T.check(first_icmp(layers, 'icmpv6.checksum.status') == '1',
            tag + 'checksum status %r' % first_icmp(layers, 'icmpv6.checksum.status'))
    if m['kind'] == 'error' and m['type'] == 2:
        T.check(first_icmp(layers, 'icmpv6.mtu') == str(m['param']), tag + 'mtu')
    if m['kind'] == 'error' and m['type'] == 4:
        T.check(first_icmp(layers, 'icmpv6.pointer') == str(m['param']), tag + 'pointer')
    if m['kind'] == 'error':
        # the quoted packet is dissected as IPv6 with the invoking packet's addresses
        srcs = T.get_all(layers, 'ipv6.src')
        T.check(len(srcs) >= 2 and srcs[1] == str(IPv6(bytes.fromhex(m['invoking'])).src),
                tag + 'quoted packet source %r' % srcs)
    if m['kind'] in ('ns', 'na'):
        key = 'icmpv6.nd.%s.target_address' % m['kind']
        T.check(first_icmp(layers, key) == m['target'], tag + key)
        lla = m.get('slla') or m.get('tlla')
        got = T.get_all(layers, 'icmpv6.opt.linkaddr')
        T.check(got == ([mac(lla)] if lla else []), tag + 'link-layer address %r' % got)
    if m['kind'] == 'na':
        flags = first_icmp(layers, 'icmpv6.nd.na.flag')
        T.check(flags is not None and int(flags, 16) >> 24 == m['flags'],
                tag + 'NA flags %r' % flags)
    probs = T.expert_problems(layers)
    T.check(not probs, tag + 'tshark expert items %r' % probs)


def main():
    gen, work = sys.argv[1:3]
    os.makedirs(work, exist_ok=True)
    pcap = os.path.join(work, 'icmp6_nd.pcap')
    r = subprocess.run([gen, pcap], capture_output=True, timeout=60)
    T.check(r.returncode == 0, 'generator exit %d: %s' % (r.returncode, r.stderr))
    manifest = [json.loads(ln) for ln in r.stdout.decode('ascii').splitlines()]
    T.check(len(manifest) == 21, '%d frames, expected 21' % len(manifest))
    sizes = []
    for m in manifest:
        got = bytes.fromhex(m['packet'])
        want = {'error': scapy_error, 'ns': scapy_ns, 'na': scapy_na}[m['kind']](m)
        T.check(got == want, 'frame %d (%s): lib/wire and scapy differ:\n %s\n %s' %
                (m['frame'], m['kind'], got.hex(), want.hex()))
        T.check(len(got) <= MIN_MTU, 'frame %d: %d octets > 1280' % (m['frame'], len(got)))
        sizes.append(len(got))
    T.check(sizes.count(MIN_MTU) == 3, 'three errors at exactly 1280 octets: %r' % sizes)
    frames = T.tshark(pcap)
    T.check(len(frames) == len(manifest), 'tshark saw %d frames' % len(frames))
    for fr, m in zip(frames, manifest):
        check_tshark(fr, m)
    if T.FAILS:
        print('%d check(s) failed' % len(T.FAILS))
        sys.exit(1)
    print('%d packets: equal to scapy, dissected cleanly by tshark; ok' % len(manifest))


if __name__ == '__main__':
    main()
