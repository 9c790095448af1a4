#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""SEND/CGA round trip against an independent implementation (python3-cryptography).

This file implements RFC 3972 (CGA generate/verify) and RFC 3971 (CGA, Timestamp, Nonce and
RSA Signature options with the A5 checksum rule) from the RFC text, without lib/cga or
lib/send, and exchanges addresses, parameters and messages with the C side:

  python -> C : CGA params -> `fmipctl cga verify`; signed RtSolPr/PrRtAdv -> `send_tool verify`
                and `fmipctl decode --json --verify` (pcap), also against a certification path
                made by conf/make-credentials.sh
  C -> python : `fmipctl cga gen` -> verified here; `send_tool sign` messages -> verified here,
                and re-signed here to the same octets (PKCS#1 v1.5 is deterministic)

usage: interop.py FMIPCTL SEND_TOOL MAKE_CREDENTIALS VECTORS_DIR
"""
import hashlib
import ipaddress
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

FMIPCTL, SEND_TOOL, MAKE_CREDS, VECTORS = sys.argv[1:5]
CGA_TAG = bytes.fromhex('086FCA5E10B200C99C8CE00164277C08')  # RFC 3971 §5.2
failures = []


def check(cond, what):
    print(('ok   ' if cond else 'FAIL ') + what)
    if not cond:
        failures.append(what)


# ---- RFC 3972 ----------------------------------------------------------------------------

def spki(pub):
    return pub.public_bytes(serialization.Encoding.DER,
                            serialization.PublicFormat.SubjectPublicKeyInfo)


def cga_generate(key_der, prefix8, sec):
    modifier = int.from_bytes(os.urandom(16), 'big')
    while True:
        m = modifier.to_bytes(16, 'big')
        h2 = hashlib.sha1(m + bytes(9) + key_der).digest()[:14]
        if sec == 0 or h2[:2 * sec] == bytes(2 * sec):
            break
        modifier = (modifier + 1) % (1 << 128)
    params = m + prefix8 + b'\x00' + key_der
    h1 = hashlib.sha1(params).digest()[:8]
    iid = bytes([(sec << 5) | (h1[0] & 0x1c)]) + h1[1:8]
    return prefix8 + iid, params


def der_len(b):
    if b[1] < 0x80:
        return 2 + b[1]
    n = b[1] & 0x7f
    return 2 + n + int.from_bytes(b[2:2 + n], 'big')


def cga_verify(addr, params):
    """Returns 0 on success or the RFC 3972 §5 step that failed."""
    cc = params[24]
    if cc > 2:
        return 1
    if params[16:24] != addr[:8]:
        return 2
    h1 = hashlib.sha1(params).digest()[:8]
    iid = addr[8:]
    if (h1[0] & 0x1c) != (iid[0] & 0x1c) or h1[1:] != iid[1:]:
        return 4
    sec = iid[0] >> 5
    if sec > 2:
        return 5
    h2 = hashlib.sha1(params[:16] + bytes(9) + params[25:]).digest()[:14]
    if h2[:2 * sec] != bytes(2 * sec):
        return 7
    return 0


# ---- RFC 3971 ----------------------------------------------------------------------------

def opt(t, body):
    """An ND option: Type, Length, body, zero padding to 8."""
    n = 2 + len(body)
    pad = (-n) % 8
    return bytes([t, (n + pad) // 8]) + body + bytes(pad)


def opt_cga(params):
    n = 4 + len(params)
    pad = (-n) % 8
    return bytes([11, (n + pad) // 8, pad, 0]) + params + bytes(pad)


def opt_timestamp(ts):
    return bytes([13, 2]) + bytes(6) + struct.pack('>Q', ts)


def csum(src, dst, msg):
    data = src + dst + struct.pack('>I', len(msg)) + bytes(3) + bytes([58]) + msg
    if len(data) % 2:
        data += b'\x00'
    s = sum(struct.unpack('>%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def with_csum(src, dst, msg):
    msg = msg[:2] + b'\x00\x00' + msg[4:]
    return msg[:2] + struct.pack('>H', csum(src, dst, msg)) + msg[4:]


def tbs(src, dst, cut):
    """A5: signed octets = tag, src, dst, the message cut before the signature with the
    checksum computed over the cut message."""
    cut = with_csum(src, dst, cut)
    return CGA_TAG + src + dst + cut


def build(priv, params, src, dst, subtype, nonce, ts, after=b'', sig_key=None):
    sig_key = sig_key or priv
    hdr = bytes([154, 0, 0, 0, subtype, 0]) + struct.pack('>H', 0x5555)
    body = opt(19, bytes([4]) + bytes.fromhex('020000000001'))  # LLA code 4 (RFC 5568)
    body += opt_cga(params) + opt_timestamp(ts) + opt(14, nonce)
    cut = hdr + body
    sig = sig_key.sign(tbs(src, dst, cut), padding.PKCS1v15(), hashes.SHA1())
    key_der = spki(sig_key.public_key())
    kh = hashlib.sha1(key_der).digest()[:16]
    msg = cut + opt(12, b'\x00\x00' + kh + sig) + after
    msg = with_csum(src, dst, msg)
    ip = struct.pack('>IHBB', 0x60000000, len(msg), 58, 255) + src + dst
    return ip + msg


def parse_opts(msg, off):
    while off + 2 <= len(msg):
        t, ln = msg[off], msg[off + 1] * 8
        if ln == 0:
            raise ValueError('zero length option')
        yield t, off, msg[off:off + ln]
        off += ln


def send_verify(pkt):
    """Independent check of a raw IPv6 RtSolPr/PrRtAdv: returns 'ok' or a reason."""
    src, dst, msg = pkt[8:24], pkt[24:40], pkt[40:]
    if pkt[7] != 255:
        return 'hop-limit'
    if with_csum(src, dst, msg) != msg:
        return 'checksum'
    params = kh = sig = None
    sig_off = None
    for t, off, o in parse_opts(msg, 8):
        if t == 11:
            params = o[4:len(o) - o[2]]
        elif t == 12:
            kh, sig, sig_off = o[4:20], o[20:], off
            break
    if params is None or sig_off is None:
        return 'unsecured'
    if cga_verify(src, params):
        return 'cga'
    key_der = params[25:25 + der_len(params[25:])]
    if hashlib.sha1(key_der).digest()[:16] != kh:
        return 'key-hash'
    pub = serialization.load_der_public_key(key_der)
    n = pub.key_size // 8
    try:
        pub.verify(sig[:n], tbs(src, dst, msg[:sig_off]), padding.PKCS1v15(), hashes.SHA1())
    except Exception:
        return 'sig'
    return 'ok'


def pcap(path, pkts):
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 101))  # LINKTYPE_RAW
        for i, p in enumerate(pkts):
            f.write(struct.pack('<IIII', 1704067200 + i, 0, len(p), len(p)))
            f.write(p)


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True)


def decode_verify(path, *extra):
    r = run(FMIPCTL, 'decode', '--json', '--verify', *extra, path)
    if r.returncode != 0:
        print(r.stderr)
    return [json.loads(line).get('send') for line in r.stdout.splitlines()]


def now_ts():
    t = time.time()
    return (int(t) << 16) | int((t - int(t)) * 65536)


def main():
    tmp = tempfile.mkdtemp(prefix='fmipgw-interop-')
    mn = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    ar = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    mn_der = spki(mn.public_key())
    prefix = ipaddress.IPv6Address('2001:db8:5:6::').packed[:8]

    # 1. python CGA -> fmipctl cga verify
    addr, params = cga_generate(mn_der, prefix, 1)
    check(cga_verify(addr, params) == 0, 'python CGA verifies in python')
    pfile = os.path.join(tmp, 'mn.params')
    with open(pfile, 'wb') as f:
        f.write(params)
    a = str(ipaddress.IPv6Address(addr))
    r = run(FMIPCTL, 'cga', 'verify', '--address', a, '--params', pfile)
    check(r.returncode == 0 and r.stdout.startswith('ok'), 'fmipctl cga verify accepts python CGA')
    bad = bytearray(addr)
    bad[15] ^= 1
    r = run(FMIPCTL, 'cga', 'verify', '--address', str(ipaddress.IPv6Address(bytes(bad))),
            '--params', pfile)
    check(r.returncode == 1 and 'step 4' in r.stdout, 'fmipctl cga verify: step 4 on bad IID')
    bad = bytearray(params)
    bad[24] = 3
    with open(pfile + '.bad', 'wb') as f:
        f.write(bytes(bad))
    r = run(FMIPCTL, 'cga', 'verify', '--address', a, '--params', pfile + '.bad')
    check(r.returncode == 1 and 'step 1' in r.stdout, 'fmipctl cga verify: step 1 on cc 3')

    # 2. fmipctl cga gen -> python
    kfile = os.path.join(tmp, 'mn.key.pem')
    with open(kfile, 'wb') as f:
        f.write(mn.private_bytes(serialization.Encoding.PEM,
                                 serialization.PrivateFormat.TraditionalOpenSSL,
                                 serialization.NoEncryption()))
    gfile = os.path.join(tmp, 'gen.params')
    r = run(FMIPCTL, 'cga', 'gen', '--key', kfile, '--prefix', '2001:db8:7:8::/64', '--sec', '1',
            '--out', gfile)
    check(r.returncode == 0, 'fmipctl cga gen runs')
    gaddr = ipaddress.IPv6Address(r.stdout.strip()).packed
    gparams = open(gfile, 'rb').read()
    check(cga_verify(gaddr, gparams) == 0, 'python verifies fmipctl CGA (Sec 1)')
    check(gparams[25:] == mn_der and gaddr[8] >> 5 == 1, 'fmipctl params carry the SPKI, Sec 1')

    # 3. python-signed messages -> C (send_tool verify, fmipctl decode --verify)
    dst = ipaddress.IPv6Address('ff02::2').packed
    nonce = bytes(range(1, 15))
    rtsolpr = build(mn, params, addr, dst, 2, nonce, now_ts())
    check(send_verify(rtsolpr) == 'ok', 'python RtSolPr verifies in python')
    pk = os.path.join(tmp, 'rtsolpr.bin')
    open(pk, 'wb').write(rtsolpr)
    r = run(SEND_TOOL, 'verify', pk, '2')
    check(r.returncode == 0 and r.stdout.strip() == 'ok', 'lib/send verifies python RtSolPr')

    ar_addr, ar_params = cga_generate(spki(ar.public_key()), bytes.fromhex('fe80000000000000'), 1)
    prrtadv = build(ar, ar_params, ar_addr, addr, 3, nonce, now_ts())
    pk2 = os.path.join(tmp, 'prrtadv.bin')
    open(pk2, 'wb').write(prrtadv)
    r = run(SEND_TOOL, 'verify', pk2, '3')
    check(r.returncode == 0, 'lib/send verifies python PrRtAdv (RSA-2048)')

    # tampered: a nonce octet (wire checksum fixed up), the key hash, the signature
    def tamper(pkt, off, name):
        p = bytearray(pkt)
        p[40 + off] ^= 0x01
        msg = with_csum(bytes(p[8:24]), bytes(p[24:40]), bytes(p[40:]))
        return bytes(p[:40]) + msg

    sig_off = [o for t, o, _ in parse_opts(rtsolpr[40:], 8) if t == 12][0]
    nonce_off = [o for t, o, _ in parse_opts(rtsolpr[40:], 8) if t == 14][0]
    after = build(mn, params, addr, dst, 2, nonce, now_ts(),
                  after=opt(14, b'\xee' * 6) + opt(200, bytes(6)))
    cases = [
        (rtsolpr, 'ok', 'ok', 'ok'),
        (tamper(rtsolpr, nonce_off + 3, 'nonce'), 'ok', 'sig', 'sig'),
        (tamper(rtsolpr, sig_off + 6, 'keyhash'), 'ok', 'key-hash', 'key-hash'),
        (tamper(rtsolpr, sig_off + 30, 'sig'), 'ok', 'sig', 'sig'),
        (after, 'ok', 'ok', 'ok'),
        (prrtadv, 'ok', 'ok', 'ok'),
    ]
    pc = os.path.join(tmp, 'py.pcap')
    pcap(pc, [c[0] for c in cases])
    got = decode_verify(pc)
    check(len(got) == len(cases), 'fmipctl decode --verify reports every frame')
    for i, (p, cga, sig, verdict) in enumerate(cases):
        g = got[i] or {}
        check(g.get('cga') == cga and g.get('sig') == sig and g.get('verdict') == verdict,
              'decode --verify frame %d: %s (want cga %s sig %s verdict %s)' % (i + 1, g, cga, sig,
                                                                               verdict))
        check(send_verify(p) == verdict, 'python verdict frame %d' % (i + 1))

    # the published capture verifies too
    ref = decode_verify(os.path.join(VECTORS, 'reference.pcap'))
    check(ref[0] == {'cga': 'ok', 'sig': 'ok', 'verdict': 'ok'} and
          ref[1] == {'cga': 'ok', 'sig': 'ok', 'verdict': 'ok'},
          'decode --verify on reference.pcap: RtSolPr and PrRtAdv ok (%s, %s)' % (ref[0], ref[1]))

    # certified signer: credentials from conf/make-credentials.sh
    cdir = os.path.join(tmp, 'creds')
    r = run(MAKE_CREDS, '--out', cdir, '--prefix', '2001:db8:5:6::/64', '--bits', '1024',
            '--fmipctl', FMIPCTL)
    check(r.returncode == 0, 'make-credentials.sh runs')
    rkey = serialization.load_pem_private_key(open(os.path.join(cdir, 'router.key.pem'), 'rb').read(),
                                              None)
    rparams = open(os.path.join(cdir, 'router.cga.params'), 'rb').read()
    raddr = ipaddress.IPv6Address(open(os.path.join(cdir, 'router.cga')).read().strip()).packed
    check(cga_verify(raddr, rparams) == 0, 'python verifies the script-made router CGA')
    good = build(rkey, rparams, raddr, addr, 3, nonce, now_ts())
    pc2 = os.path.join(tmp, 'cert.pcap')
    pcap(pc2, [good, prrtadv])
    got = decode_verify(pc2, '--trust-anchor', os.path.join(cdir, 'trust-anchor.pem'),
                        '--chain', os.path.join(cdir, 'router.chain.pem'))
    check(got[0] and got[0].get('signer') == 'ok', 'PrRtAdv by the certified router key: %s' % got[0])
    check(got[1] and got[1].get('signer') == 'not-certified',
          'PrRtAdv by another key: %s' % got[1])

    # 4. C-signed messages -> python
    for sub in (2, 3):
        out = os.path.join(tmp, 'c%d.bin' % sub)
        r = run(SEND_TOOL, 'sign', os.path.join(VECTORS, 'keys', 'mn1.key.pem'),
                os.path.join(VECTORS, 'keys', 'mn1.cga.params'), str(sub), out)
        check(r.returncode == 0, 'send_tool sign subtype %d' % sub)
        p = open(out, 'rb').read()
        check(send_verify(p) == 'ok', 'python verifies lib/send message subtype %d' % sub)
        # same octets when python signs what lib/send signed
        msg = p[40:]
        so = [o for t, o, _ in parse_opts(msg, 8) if t == 12][0]
        mn1 = serialization.load_pem_private_key(
            open(os.path.join(VECTORS, 'keys', 'mn1.key.pem'), 'rb').read(), None)
        mine = mn1.sign(tbs(p[8:24], p[24:40], msg[:so]), padding.PKCS1v15(), hashes.SHA1())
        check(msg[so + 20:so + 20 + 128] == mine, 'lib/send signature == python signature (%d)' % sub)

    shutil.rmtree(tmp, ignore_errors=True)
    print('%d failure(s)' % len(failures))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
