#!/usr/bin/env python3
"""Regenerate the seed corpus (tests/fuzz/corpus/): one file per frame, named by its SHA-1.

usage: make_corpus.py OUT_DIR REFERENCE.pcap [BUILDERS.pcap]

Seeds: the 7 reference Ethernet frames and the same packets without L2 (the target decodes
every input as Ethernet and as raw IPv6), the frames the lib/wire builders produce
(tests/fmipctl/gen_builder_pcap), and a few mangled frames (cut, bad checksum, option
Length 0, BADF with the A3 short length, a VLAN tag, a fragment, Hop-by-Hop + type-2 Routing).
"""
import hashlib
import os
import struct
import sys


def read_pcap(path):
    data = open(path, 'rb').read()
    off, frames = 24, []
    while off < len(data):
        _, _, caplen, _ = struct.unpack('<IIII', data[off:off + 16])
        frames.append(data[off + 16:off + 16 + caplen])
        off += 16 + caplen
    return frames


def csum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('>%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def with_mh_csum(frame):
    """Recompute the MH checksum of an Ethernet FBU with a 24-octet DstOpt (HAO at +8)."""
    ip = frame[14:54]
    hao = frame[54 + 8:54 + 24]
    mh = bytearray(frame[54 + 24:])
    mh[4:6] = b'\0\0'
    pseudo = hao + ip[24:40] + struct.pack('>IxxxB', len(mh), 135)   # A16
    mh[4:6] = struct.pack('>H', csum(pseudo + bytes(mh)))
    return frame[:54 + 24] + bytes(mh)


def main():
    out, ref = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    seeds = []
    rf = read_pcap(ref)
    seeds += rf
    seeds += [f[14:] for f in rf]
    if len(sys.argv) > 3:
        seeds += read_pcap(sys.argv[3])
    rtsolpr, fbu_par, fbu_nar, fback = rf[0], rf[2], rf[3], rf[4]
    seeds.append(rtsolpr[:300])                      # cut inside the CGA option
    g = bytearray(rtsolpr); g[14 + 40 + 2] ^= 0xff; seeds.append(bytes(g))   # bad checksum
    g = bytearray(rtsolpr); g[14 + 40 + 8 + 1] = 0; seeds.append(bytes(g))   # option Length 0
    # the NAR-link FBU with BADF Length 12 (A3: authenticator only), MH checksum recomputed
    g = bytearray(fbu_nar)
    g[-17] = 12
    seeds.append(bytes(with_mh_csum(g)))
    seeds.append(fbu_par[:12] + b'\x81\x00\x00\x07' + fbu_par[12:])          # 802.1Q tag
    # a non-first fragment: Fragment header (offset 8, M=0) in place of the DstOpt header
    ip = bytearray(fback[14:54]); ip[6] = 44; ip[4:6] = struct.pack('>H', 16)
    seeds.append(fback[:14] + bytes(ip) + bytes([135, 0, 0, 8, 0, 0, 0, 1]) + b'\0' * 8)
    # the FBack behind a Hop-by-Hop header (PadN) and a type-2 Routing header (RFC 3775 §6.4)
    ip = bytearray(fback[14:54])
    mh = fback[54:]
    hbh = bytes([43, 0, 1, 4, 0, 0, 0, 0])
    rt2 = bytes([135, 2, 2, 1, 0, 0, 0, 0]) + ip[24:40]
    ip[6] = 0
    ip[4:6] = struct.pack('>H', len(hbh) + len(rt2) + len(mh))
    seeds.append(fback[:14] + bytes(ip) + hbh + rt2 + mh)
    for s in seeds:
        name = hashlib.sha1(s).hexdigest()
        with open(os.path.join(out, name), 'wb') as fh:
            fh.write(s)
    print('%d seeds, %d octets' % (len(seeds), sum(len(s) for s in seeds)))


if __name__ == '__main__':
    main()
