#!/usr/bin/env python3
"""Regenerate the seed corpus of fuzz_fbu_diff (tests/fuzz/corpus_fbu_diff/).

usage: make_corpus_fbu_diff.py OUT_DIR REFERENCE.pcap

Seeds: the four reference FBUs (PAR and NAR link, AT 0 and AT 1) as Ethernet frames, raw IPv6
and behind an 802.1Q tag; then mutations of them that keep or break the fast shape, each with
its Mobility Header checksum recomputed here (RFC 1071, A16): other sequence numbers and
flags, Pad1 Pad1 instead of PadN(2), non-zero PadN data, the A3 short BADF length, a BADF
with a trailing PadN, a Hop-by-Hop header, an Ethernet trailer, a cut frame, a bad checksum,
and a checksum whose right value is 0x0000 sent as 0xffff.
"""
import hashlib
import os
import struct
import sys

from make_corpus import csum, read_pcap  # the same pcap reader and RFC 1071 sum


def fix(ip6):
    """IPv6 + 24-octet DstOpt (HAO at 48) + MH at 64: Payload Length and MH checksum."""
    ip6 = bytearray(ip6)
    ip6[4:6] = struct.pack('>H', len(ip6) - 40)
    mh = bytearray(ip6[64:])
    mh[4:6] = b'\0\0'
    pseudo = bytes(ip6[48:64]) + bytes(ip6[24:40]) + struct.pack('>IxxxB', len(mh), 135)
    mh[4:6] = struct.pack('>H', csum(pseudo + bytes(mh)))
    return bytes(ip6[:64]) + bytes(mh)


def eth(ip6, vlan=None):
    l2 = bytes.fromhex('020000000002020000000001')
    if vlan is not None:
        l2 += struct.pack('>HH', 0x8100, vlan)
    return l2 + b'\x86\xdd' + ip6


def main():
    out, ref = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    rf = read_pcap(ref)
    fbus = [f[14:] for f in (rf[2], rf[3], rf[5], rf[6])]   # README: frames 3, 4, 6, 7
    seeds = []
    for ip in fbus:
        seeds += [eth(ip), ip, eth(ip, 7)]
        g = bytearray(ip); g[64 + 6:64 + 8] = b'\x12\x34'; g[64 + 8] = 0xd0
        seeds.append(eth(fix(g)))                                  # other seq and flags
        g = bytearray(ip); g[42:44] = b'\0\0'; seeds.append(eth(fix(g)))   # Pad1 Pad1 DstOpt
        g = bytearray(ip); g[64 + 12:64 + 14] = b'\0\0'; seeds.append(eth(fix(g)))  # in MH
        seeds.append(eth(ip) + b'\xa5' * 6)                        # Ethernet trailer
        seeds.append(eth(ip)[:-1])                                 # cut
        g = bytearray(ip); g[64 + 5] ^= 1; seeds.append(eth(bytes(g)))      # bad checksum
    # PAR-link AT 0: PadN(6) data not zero; A3 short BADF Length (12, ends the MH exactly)
    ip = bytearray(fbus[0]); ip[64 + 34] = 0x5a; seeds.append(eth(fix(ip)))
    ip = bytearray(fbus[0]); ip[64 + 39] = 12; seeds.append(eth(fix(ip)))
    # NAR-link AT 0 with the BADF at 8n+2 and PadN(4) after the authenticator (A20 receive)
    ip = bytearray(fbus[1][:64]) + bytes.fromhex('3b0408000000') + fbus[1][64 + 6:64 + 12]
    ip += bytes.fromhex('0104000000001510') + b'\0' * 4 + fbus[1][-12:] + bytes.fromhex('01020000')
    seeds.append(eth(fix(ip)))
    # a Hop-by-Hop header (PadN) before the DstOpt
    ip = bytearray(fbus[1])
    hbh = bytes([60, 0, 1, 4, 0, 0, 0, 0])
    ip[6] = 0
    ip[4:6] = struct.pack('>H', len(ip) - 40 + 8)
    seeds.append(eth(bytes(ip[:40]) + hbh + bytes(ip[40:])))
    # a right checksum of 0x0000 sent as 0xffff: vary the sequence number until it is 0
    for seq in range(65536):
        ip = bytearray(fbus[1]); ip[64 + 6:64 + 8] = struct.pack('>H', seq)
        ip = bytearray(fix(ip))
        if ip[64 + 4:64 + 6] == b'\0\0':
            seeds.append(eth(bytes(ip)))
            ip[64 + 4:64 + 6] = b'\xff\xff'
            seeds.append(eth(bytes(ip)))
            break
    names = set()
    for s in seeds:
        name = hashlib.sha1(s).hexdigest()
        names.add(name)
        with open(os.path.join(out, name), 'wb') as fh:
            fh.write(s)
    print('%d seeds, %d octets' % (len(names), sum(len(s) for s in seeds)))


if __name__ == '__main__':
    main()
