#!/usr/bin/env python3
"""fmipctl decode: behaviour tests (suite 'fmipctl').

usage: test_decode.py CASE FMIPCTL VECTORS_DIR WORK_DIR

CASE
  reference  the 7 frames of reference.pcap decode to the values published in reference.json
             (addresses, identifier, sequence numbers, checksums, authenticators, the SEND
             signed-data checksum and length, the BADF MAC-input length) — values are taken
             from the JSON / the packet bytes, never from fmipctl's own output.
  mangled    every frame cut at many lengths and with bytes flipped: every frame is reported,
             one valid JSON object per frame, in order, exit 0; cut frames and frames with a
             flipped octet inside the ICMPv6/MH message report an error.
  files      file-level errors: missing file, not a capture, unsupported link type, a record
             cut in the middle, an absurd record length -> exit 1 with a message on stderr
             (frames before a cut record are still printed); usage errors -> exit 2; reading
             from stdin ("-") gives the same output as the file.
  links      the same packets as raw IPv6 (DLT_RAW, DLT_IPV6), Linux cooked (SLL, SLL2), VLAN-
             tagged Ethernet and pcapng captures decode to the same messages; a cooked frame of another protocol is
             reported as not-ipv6; the text output has one line per frame.
"""
import ipaddress
import json
import os
import random
import struct
import subprocess
import sys

FAILS = []


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print('FAIL: ' + what)


# ---- pcap files (classic format, written and read here with struct) -----------------------

DLT_EN10MB, DLT_RAW, DLT_LINUX_SLL, DLT_IPV6, DLT_LINUX_SLL2, DLT_NULL = 1, 101, 113, 229, 276, 0


def read_pcap(path):
    data = open(path, 'rb').read()
    magic, = struct.unpack('<I', data[:4])
    assert magic == 0xa1b2c3d4, 'little-endian usec pcap expected'
    linktype, = struct.unpack('<I', data[20:24])
    off, frames = 24, []
    while off < len(data):
        sec, usec, caplen, wirelen = struct.unpack('<IIII', data[off:off + 16])
        frames.append(data[off + 16:off + 16 + caplen])
        off += 16 + caplen
    return linktype, frames


def pcap_bytes(linktype, frames, snaplen=65535):
    out = [struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, snaplen, linktype)]
    for i, f in enumerate(frames):
        out.append(struct.pack('<IIII', 1704067200 + i, 0, len(f), len(f)))
        out.append(f)
    return b''.join(out)


def write_pcap(path, linktype, frames):
    with open(path, 'wb') as fh:
        fh.write(pcap_bytes(linktype, frames))


def run(fmipctl, args, stdin=None):
    return subprocess.run([fmipctl] + args, input=stdin, capture_output=True, timeout=120)


def unique_keys(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError('duplicate keys %r' % sorted(k for k in set(keys) if keys.count(k) > 1))
    return dict(pairs)


def decode_json(fmipctl, path):
    r = run(fmipctl, ['decode', '--json', path])
    lines = r.stdout.decode('ascii').splitlines()
    objs = []
    for ln in lines:
        try:
            objs.append(json.loads(ln, object_pairs_hook=unique_keys))
        except ValueError as e:
            check(False, 'invalid JSON line %r: %s' % (ln[:120], e))
    return r, objs


# ---- reference ------------------------------------------------------------------------------

def addr(b):
    return str(ipaddress.IPv6Address(bytes(b)))


def case_reference(fmipctl, vec, work):
    ref = json.load(open(os.path.join(vec, 'reference.json')))
    s, a0, a1 = ref['send'], ref['fbu']['at0'], ref['fbu']['at1']
    pcoa, ncoa, par = ref['fbu']['pcoa'], ref['fbu']['ncoa'], ref['fbu']['par']
    linktype, frames = read_pcap(os.path.join(vec, 'reference.pcap'))
    check(linktype == DLT_EN10MB, 'reference.pcap is Ethernet')

    # (message, IPv6 packet hex from reference.json, expectations)
    expect = [
        ('rtsolpr', s['rtsolpr_ipv6'], {}),
        ('prrtadv', s['prrtadv_ipv6'], {}),
        ('fbu', a0['from_par_link_ipv6'], {'auth': a0['from_par_link_authenticator'],
                                           'mac': a0['from_par_link_mac_input'], 'ncoa': ncoa}),
        ('fbu', a0['from_nar_link_ipv6'], {'auth': a0['from_nar_link_authenticator'],
                                           'mac': a0['from_nar_link_mac_input'], 'ncoa': ncoa}),
        ('fback', a0['fback_ipv6'], {'auth': a0['fback_authenticator'],
                                     'mac': a0['fback_mac_input']}),
        ('fbu', a1['from_par_link_ipv6'], {'ncoa': ncoa}),
        ('fbu', a1['from_nar_link_ipv6'], {'ncoa': ncoa}),
    ]
    r, objs = decode_json(fmipctl, os.path.join(vec, 'reference.pcap'))
    check(r.returncode == 0, 'exit 0 on reference.pcap (got %d: %s)' % (r.returncode, r.stderr))
    check(len(objs) == 7 and len(frames) == 7, '7 frames reported (got %d)' % len(objs))
    for i, (msg, iphex, ex) in enumerate(expect):
        if i >= len(objs):
            break
        o, pkt, tag = objs[i], bytes.fromhex(iphex), 'frame %d: ' % (i + 1)
        check(frames[i][14:] == pkt, tag + 'pcap frame is the reference.json packet')
        check(o.get('frame') == i + 1, tag + 'frame number')
        check(o.get('msg') == msg, tag + 'msg %r, expected %r' % (o.get('msg'), msg))
        check('error' not in o, tag + 'no error (got %r)' % o.get('error'))
        check(o.get('src') == addr(pkt[8:24]), tag + 'src')
        check(o.get('dst') == addr(pkt[24:40]), tag + 'dst')
        check(o.get('hlim') == pkt[7], tag + 'hop limit')
        check(o.get('len') == len(frames[i]), tag + 'captured length')
        check(o.get('eth_src') == ':'.join('%02x' % c for c in frames[i][6:12]), tag + 'eth_src')
        if msg in ('rtsolpr', 'prrtadv'):
            icmp = pkt[40:]
            check(o.get('identifier') == 0x1234, tag + 'identifier 0x1234 (PROTOCOL.md 10)')
            check(o.get('identifier') == struct.unpack('>H', icmp[6:8])[0], tag + 'identifier')
            check(o.get('subtype') == icmp[4], tag + 'subtype')
            check(o.get('csum') == '0x%04x' % struct.unpack('>H', icmp[2:4])[0], tag + 'csum')
            types = [x['type'] for x in o.get('opts', [])]
            sd = s['rtsolpr_signed_data'] if msg == 'rtsolpr' else None
            key = 'rtsolpr' if msg == 'rtsolpr' else 'prrtadv'
            send = o.get('send_opts', {})
            check(send.get('signed_csum') == s[key + '_checksum_in_signed_data'],
                  tag + 'checksum in the signed data %r vs %r' %
                  (send.get('signed_csum'), s[key + '_checksum_in_signed_data']))
            check(types[-1] == 'rsasig' and 'cga' in types and 'nonce' in types,
                  tag + 'options %r' % types)
            rsa = o['opts'][-1]
            check(send.get('sig_off') == rsa.get('off'), tag + 'signature offset')
            if sd:
                check(send.get('signed_len') == len(bytes.fromhex(sd)), tag + 'signed length')
                check(rsa.get('key_hash') == s['rtsolpr_key_hash'], tag + 'key hash')
                check(rsa.get('sig', '').rstrip('.') == s['rtsolpr_signature'][:16],
                      tag + 'signature prefix')
                hk = [x for x in o['opts'] if x['type'] == 'hkreq']
                check(len(hk) == 1 and hk[0].get('at') == 0 and hk[0].get('key_len') == 162,
                      tag + 'HK Request AT 0, 162-octet SPKI')
            else:
                hk = [x for x in o['opts'] if x['type'] == 'hkrep']
                check(len(hk) == 1 and hk[0].get('lifetime') == 43200 and
                      hk[0].get('enc_len') == len(bytes.fromhex(s['handover_key_encrypted'])) and
                      hk[0].get('enc', '').rstrip('.') == s['handover_key_encrypted'][:16],
                      tag + 'HK Reply lifetime 43200 and ciphertext')
                ip = [x for x in o['opts'] if x['type'] == 'ipaddr']
                check([x.get('code') for x in ip] == [3, 4], tag + 'NAR address and prefix')
            ts = [x for x in o['opts'] if x['type'] == 'timestamp']
            check(len(ts) == 1 and ts[0].get('ts_sec') == 1704067200, tag + 'timestamp')
            nonce = [x for x in o['opts'] if x['type'] == 'nonce']
            check(len(nonce) == 1 and nonce[0].get('nonce') == '0102030405060708090a0b0c0d0e',
                  tag + 'nonce')
        else:
            # the Mobility Header is after the IPv6 header and (FBU) the 24-octet DstOpt
            mh = pkt[40 + (24 if pkt[6] == 60 else 0):]
            check(o.get('csum') == '0x%04x' % struct.unpack('>H', mh[4:6])[0], tag + 'MH csum')
            check(o.get('mh_len') == len(mh), tag + 'MH length')
            seq = struct.unpack('>H', mh[6:8] if msg == 'fbu' else mh[8:10])[0]
            check(o.get('seq') == seq, tag + 'seq %r vs %r' % (o.get('seq'), seq))
            check(o.get('lifetime') == 10, tag + 'lifetime 10')
            badf = o.get('badf', {})
            check(badf.get('spi') == 0, tag + 'BADF SPI 0')
            alen = 12 if i < 5 else 16
            check(badf.get('auth_len') == alen, tag + 'authenticator length %d' % alen)
            bo = [x for x in o.get('opts', []) if x['type'] == 'badf']
            check(len(bo) == 1 and bo[0]['off'] == badf.get('off'), tag + 'BADF in options')
            if 'auth' in ex:
                check(bo and bo[0].get('auth') == ex['auth'], tag + 'authenticator')
            else:
                check(bo and bo[0].get('auth') == mh[-alen:].hex(), tag + 'authenticator')
            mi = o.get('mac_input', {})
            if 'mac' in ex:
                check(mi.get('len') == len(bytes.fromhex(ex['mac'])),
                      tag + 'MAC input length %r vs %d' % (mi.get('len'), len(ex['mac']) // 2))
            check(mi.get('coa') == ncoa and mi.get('par') == par, tag + 'MAC input NCoA/PAR')
            if msg == 'fbu':
                check(o.get('flags') == 'AH', tag + 'A and H flags')
                check(o.get('hoa') == pcoa and o.get('pcoa') == pcoa, tag + 'HAO is the PCoA')
                check(o.get('ncoa') == ex['ncoa'], tag + 'NCoA')
            else:
                check(o.get('status') == 0, tag + 'FBack status 0')

    # with the annotators that need no argument (e.g. --verify), keys stay unique and the
    # standard fields unchanged
    h = run(fmipctl, ['decode', '--help']).stdout.decode()
    for opt in ('--verify',):
        if opt in h.split():
            r2 = run(fmipctl, ['decode', '--json', opt, os.path.join(vec, 'reference.pcap')])
            o2 = []
            for ln in r2.stdout.decode('ascii').splitlines():
                try:
                    o2.append(json.loads(ln, object_pairs_hook=unique_keys))
                except ValueError as e:
                    check(False, '%s: %s' % (opt, e))
            check(len(o2) == 7 and all(all(b.get(k) == v for k, v in a.items())
                                        for a, b in zip(objs, o2)),
                  '%s: standard fields unchanged' % opt)

    # text output: one line per frame, starting with the frame number and the message
    r = run(fmipctl, ['decode', os.path.join(vec, 'reference.pcap')])
    lines = r.stdout.decode('ascii').splitlines()
    check(r.returncode == 0 and len(lines) == 7, 'text: 7 lines, exit 0')
    for i, (msg, _, _) in enumerate(expect):
        if i < len(lines):
            check(lines[i].startswith('%d %s ' % (i + 1, msg)), 'text line %d: %r' %
                  (i + 1, lines[i][:40]))


# ---- mangled ---------------------------------------------------------------------------------

def upper_layer_off(frame):
    """Offset of the ICMPv6/MH message in a reference Ethernet frame (from its own bytes)."""
    nh, off = frame[14 + 6], 14 + 40
    if nh == 60:
        nh, off = frame[off], off + 8 * (frame[off + 1] + 1)
    return off


def case_mangled(fmipctl, vec, work):
    _, frames = read_pcap(os.path.join(vec, 'reference.pcap'))
    rng = random.Random(5269)
    out, kinds = [], []
    for f in frames:
        cuts = sorted(set([0, 1, 6, 12, 13, 14, 15, 20, 53, 54, 55, 58, 61, 62, 63, 70, 77, 78,
                           80, 86, 90, len(f) - 1, len(f) - 2, len(f) - 8, len(f) - 13]))
        cuts += rng.sample(range(1, len(f)), 12)
        for c in cuts:
            if 0 <= c < len(f):
                out.append(f[:c])
                kinds.append(('cut', c))
        ul = upper_layer_off(f)
        for _ in range(40):
            pos = rng.randrange(len(f))
            g = bytearray(f)
            g[pos] ^= rng.randrange(1, 256)
            out.append(bytes(g))
            kinds.append(('flip', pos, ul))
        # the Length of each ND option (walked here from the reference bytes) set to 0 and
        # to 255: RFC 4861 Length 0 and an option running past the message
        if f[ul] == 154:
            pos = ul + 8
            while pos < len(f):
                for v in (0, 255):
                    g = bytearray(f)
                    g[pos + 1] = v
                    out.append(bytes(g))
                    kinds.append(('optlen', pos))
                pos += 8 * f[pos + 1]
        # random garbage of the same length, and an all-0xff frame
        out.append(bytes(rng.randrange(256) for _ in range(len(f))))
        kinds.append(('garbage',))
        out.append(f[:14] + b'\xff' * (len(f) - 14))
        kinds.append(('garbage',))
    path = os.path.join(work, 'mangled.pcap')
    write_pcap(path, DLT_EN10MB, out)
    r, objs = decode_json(fmipctl, path)
    check(r.returncode == 0, 'mangled: exit 0 (got %d, stderr %r)' % (r.returncode, r.stderr[-300:]))
    check(r.returncode >= 0, 'mangled: no crash (signal %d)' % -r.returncode)
    check(len(objs) == len(out), 'mangled: %d frames reported of %d' % (len(objs), len(out)))
    n_err = 0
    for i, o in enumerate(objs):
        k = kinds[i]
        check(o.get('frame') == i + 1, 'mangled: frame %d numbered %r' % (i + 1, o.get('frame')))
        check(isinstance(o.get('msg'), str), 'mangled: frame %d has msg' % (i + 1))
        check(o.get('len') == len(out[i]), 'mangled: frame %d length' % (i + 1))
        if 'error' in o:
            n_err += 1
            check(isinstance(o['error'], str) and o['error'], 'mangled: error is a string')
        if k[0] == 'cut':
            check('error' in o, 'mangled: frame %d cut at %d reports an error (%r)' %
                  (i + 1, k[1], o.get('msg')))
        if k[0] == 'flip' and k[1] >= k[2]:
            check('error' in o, 'mangled: frame %d with octet %d flipped reports an error' %
                  (i + 1, k[1]))
        if k[0] == 'optlen':
            check('error' in o, 'mangled: frame %d option Length %d reports an error' %
                  (i + 1, out[i][k[1] + 1]))
            bad = [x for x in o.get('opts', []) if x['type'] == 'bad']
            check(len(bad) == 1 and bad[0].get('off') == k[1] - upper_layer_off(out[i]) and
                  bad[0].get('error') == ('bad length' if out[i][k[1] + 1] == 0 else 'truncated'),
                  'mangled: frame %d: the option walk stops at the bad option (%r)' % (i + 1, bad))
    print('mangled: %d frames, %d with an error' % (len(objs), n_err))
    # text mode over the same file: one line per frame too
    r = run(fmipctl, ['decode', path])
    check(r.returncode == 0 and len(r.stdout.splitlines()) == len(out), 'mangled: text lines')


# ---- file-level errors ------------------------------------------------------------------------

def case_files(fmipctl, vec, work):
    refp = os.path.join(vec, 'reference.pcap')
    raw = open(refp, 'rb').read()
    _, frames = read_pcap(refp)

    def expect_fail(args, what, code=1, stdin=None):
        r = run(fmipctl, args, stdin)
        check(r.returncode == code, '%s: exit %d (got %d)' % (what, code, r.returncode))
        check(len(r.stderr.strip()) > 0, '%s: a message on stderr' % what)
        return r

    expect_fail(['decode', os.path.join(work, 'does-not-exist.pcap')], 'missing file')
    p = os.path.join(work, 'notpcap.pcap')
    open(p, 'wb').write(b'this is not a capture file at all\n' * 4)
    expect_fail(['decode', '--json', p], 'not a capture')
    p = os.path.join(work, 'empty.pcap')
    open(p, 'wb').write(b'')
    expect_fail(['decode', p], 'empty file')
    p = os.path.join(work, 'halfheader.pcap')
    open(p, 'wb').write(raw[:12])
    expect_fail(['decode', p], 'cut file header')

    # a record cut in the middle of frame 3: frames 1-2 printed, then exit 1
    third = 24 + sum(16 + len(f) for f in frames[:2])
    for cut, what in ((third + 16 + 40, 'record cut in its data'),
                      (third + 7, 'record cut in its header')):
        p = os.path.join(work, 'cut.pcap')
        open(p, 'wb').write(raw[:cut])
        r = expect_fail(['decode', '--json', p], what)
        lines = r.stdout.splitlines()
        check(len(lines) == 2 and json.loads(lines[1])['frame'] == 2,
              '%s: the 2 whole frames before it are printed (%d lines)' % (what, len(lines)))

    # a record header claiming an absurd captured length
    bad = bytearray(raw[:third + 16 + len(frames[2])])
    struct.pack_into('<I', bad, third + 8, 0x7ffffff0)
    p = os.path.join(work, 'absurd.pcap')
    open(p, 'wb').write(bytes(bad))
    expect_fail(['decode', p], 'absurd record length')

    # an unsupported link type (DLT_NULL)
    p = os.path.join(work, 'null.pcap')
    write_pcap(p, DLT_NULL, [b'\x18\x00\x00\x00' + f[14:] for f in frames])
    r = expect_fail(['decode', p], 'unsupported link type')
    check(b'link type' in r.stderr, 'unsupported link type: says so')

    # usage
    expect_fail(['decode'], 'no file', code=2)
    expect_fail(['decode', refp, refp], 'two files', code=2)
    expect_fail(['decode', '--no-such-option', refp], 'unknown option', code=2)
    expect_fail(['no-such-command'], 'unknown command', code=2)
    expect_fail([], 'no command', code=2)
    r = run(fmipctl, ['--help'])
    check(r.returncode == 0 and b'decode' in r.stdout, '--help lists decode')
    r = run(fmipctl, ['decode', '--help'])
    check(r.returncode == 0 and b'--json' in r.stdout, 'decode --help')

    # stdin
    a = run(fmipctl, ['decode', '--json', refp])
    b = run(fmipctl, ['decode', '--json', '-'], stdin=raw)
    check(a.returncode == 0 and b.returncode == 0 and a.stdout == b.stdout and
          len(a.stdout.splitlines()) == 7, 'stdin gives the same output as the file')
    # a cut capture on stdin: same rule
    b = run(fmipctl, ['decode', '--json', '-'], stdin=raw[:third + 30])
    check(b.returncode == 1 and len(b.stdout.splitlines()) == 2, 'cut capture on stdin')


# ---- link types ---------------------------------------------------------------------------------

def case_links(fmipctl, vec, work):
    _, frames = read_pcap(os.path.join(vec, 'reference.pcap'))
    want = ['rtsolpr', 'prrtadv', 'fbu', 'fbu', 'fback', 'fbu', 'fbu']
    ip6 = [f[14:] for f in frames]
    sll = [struct.pack('>HHH8sH', 0, 1, 6, f[6:12] + b'\0\0', 0x86dd) + p
           for f, p in zip(frames, ip6)]
    sll2 = [struct.pack('>HHIHBB8s', 0x86dd, 0, 2, 1, 0, 6, f[6:12] + b'\0\0') + p
            for f, p in zip(frames, ip6)]
    # 802.1Q-tagged Ethernet
    vlan = [f[:12] + b'\x81\x00\x00\x2a' + f[12:] for f in frames]
    for lt, fr, name in ((DLT_RAW, ip6, 'raw'), (DLT_IPV6, ip6, 'ipv6'), (DLT_LINUX_SLL, sll, 'sll'),
                         (DLT_LINUX_SLL2, sll2, 'sll2'), (DLT_EN10MB, vlan, 'vlan')):
        p = os.path.join(work, 'link-%s.pcap' % name)
        write_pcap(p, lt, fr)
        r, objs = decode_json(fmipctl, p)
        check(r.returncode == 0, '%s: exit 0 (%r)' % (name, r.stderr))
        check([o.get('msg') for o in objs] == want, '%s: messages %r' %
              (name, [o.get('msg') for o in objs]))
        check(all('error' not in o for o in objs), '%s: no errors' % name)
        check([o.get('src') for o in objs] == [addr(p[8:24]) for p in ip6], '%s: sources' % name)
        if name == 'vlan':
            check(all(o.get('vlan') == 42 for o in objs), 'vlan: tag 42 reported')
    # the Ethernet frames in a pcapng file (SHB, IDB, one EPB per frame)
    def block(btype, body):
        body += b'\0' * (-len(body) % 4)
        return struct.pack('<II', btype, len(body) + 12) + body + struct.pack('<I', len(body) + 12)
    ng = [block(0x0A0D0D0A, struct.pack('<IHHq', 0x1A2B3C4D, 1, 0, -1)),
          block(1, struct.pack('<HHI', DLT_EN10MB, 0, 65535))]
    for i, f in enumerate(frames):
        ng.append(block(6, struct.pack('<IIIII', 0, 0, i, len(f), len(f)) + f))
    p = os.path.join(work, 'link.pcapng')
    open(p, 'wb').write(b''.join(ng))
    r, objs = decode_json(fmipctl, p)
    check(r.returncode == 0 and [o.get('msg') for o in objs] == want and
          all('error' not in o for o in objs), 'pcapng: messages %r' % [o.get('msg') for o in objs])
    # cooked frames of another protocol (IPv4, ARP) and a cut cooked header
    p = os.path.join(work, 'link-sll-other.pcap')
    write_pcap(p, DLT_LINUX_SLL, [sll[0][:14] + b'\x08\x00' + b'\x45' + b'\0' * 19,
                                  sll[0][:14] + b'\x08\x06' + b'\0' * 28, sll[0][:9], sll[0]])
    r, objs = decode_json(fmipctl, p)
    check(r.returncode == 0 and len(objs) == 4, 'sll other: 4 frames, exit 0')
    if len(objs) == 4:
        check(objs[0].get('msg') == 'not-ipv6' and objs[0].get('ethertype') == '0x0800',
              'sll IPv4 is not-ipv6')
        check(objs[1].get('msg') == 'not-ipv6', 'sll ARP is not-ipv6')
        check('error' in objs[2], 'cut cooked header reports an error')
        check(objs[3].get('msg') == 'rtsolpr' and 'error' not in objs[3], 'sll after them')
    # an IPv4 packet in a DLT_RAW capture
    p = os.path.join(work, 'link-raw-v4.pcap')
    write_pcap(p, DLT_RAW, [b'\x45' + b'\0' * 39, ip6[4]])
    r, objs = decode_json(fmipctl, p)
    check(r.returncode == 0 and [o.get('msg') for o in objs] == ['not-ipv6', 'fback'],
          'raw: IPv4 is not-ipv6, then fback')


def main():
    case, fmipctl, vec, work = sys.argv[1:5]
    os.makedirs(work, exist_ok=True)
    {'reference': case_reference, 'mangled': case_mangled, 'files': case_files,
     'links': case_links}[case](fmipctl, vec, work)
    if FAILS:
        print('%d check(s) failed' % len(FAILS))
        sys.exit(1)
    print('ok')


if __name__ == '__main__':
    main()
