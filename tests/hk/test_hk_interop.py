#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""RFC 5269 handover-key exchange against an independent implementation (issue 5).

Everything on the Python side is written here from the RFC text and PROTOCOL.md, without any
fmipgw code: the ICMPv6 and Mobility Header checksums, the ND/FMIPv6/SEND/RFC 5269 options,
the A5 signed data (checksum over the message cut before the RSA Signature option), CGA
generation and the seven verification steps of RFC 3972 §5 (hashlib SHA-1), the FBU/FBack
with the BADF of PROTOCOL.md 1.9 (A2, A20; Python's hmac).  RSA comes from python3-cryptography
(PKCS#1 v1.5 SHA-1 signatures, RSAES-PKCS1-v1_5 encryption).  The Python side first checks
itself against the published vectors (PROTOCOL.md §10), then:

  part 1  Python MN  -> C AR (hk_ar_rtsolpr, through `hk_peer ar`)
  part 2  Python AR  -> C MN (hk_mn_rtsolpr / hk_mn_prrtadv / hk_mn_fbu / hk_mn_fback_check,
                              through `hk_peer mn`)

usage: test_hk_interop.py HK_PEER VECTORS_DIR [--findings]
  --findings: instead of the test, print what lib/hk does in the cases reported to its owner
"""
import datetime
import hashlib
import hmac
import json
import os
import struct
import subprocess
import sys
import tempfile
import time

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

HK_PEER, VECTORS = sys.argv[1], sys.argv[2]
KEYS = os.path.join(VECTORS, 'keys')
CGA_TAG = bytes.fromhex('086fca5e10b200c99c8ce00164277c08')  # RFC 3971 §5.2
HK_LIFETIME = 43200  # RFC 5269 §3.7
HKEPK_LIFETIME = 12 * 3600  # RFC 5269 §3.7
AT_MAC = {0: (hashlib.sha1, 12, 20), 1: (hashlib.sha256, 16, 32)}  # A1, A9: hash, tag, key
AR_LLA = bytes.fromhex('020000000002')
MN_LLA = bytes.fromhex('020000000011')
AP_LLA = bytes.fromhex('0200000000aa')  # the AP hk_peer's AR knows (behind a NAR)
NAR_LLA = bytes.fromhex('0200000000bb')
NAR_ADDR = bytes.fromhex('20030000000000020000000000000001')
NAR_PREFIX = bytes.fromhex('20030000000000020000000000000000')
PAR = bytes.fromhex('20030000000000000000000000000001')

failures = []
checks = 0


def check(cond, what):
    global checks
    checks += 1
    print(('ok   ' if cond else 'FAIL ') + what, flush=True)
    if not cond:
        failures.append(what)


def section(name):
    print('--- ' + name, flush=True)


# ---- checksums (RFC 4443 §2.3, RFC 2460 §8.1) -----------------------------------------------

def ones_sum(data):
    if len(data) % 2:
        data += b'\x00'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s


def l4_csum(src, dst, nh, msg):
    """Checksum of msg (its checksum field already zero) with the IPv6 pseudo-header."""
    pseudo = src + dst + struct.pack('!I', len(msg)) + b'\x00\x00\x00' + bytes([nh])
    return (~ones_sum(pseudo + msg)) & 0xffff


def put16(b, off, v):
    b[off:off + 2] = struct.pack('!H', v)


def ip6(src, dst, nh, hlim, payload):
    return struct.pack('!IHBB', 6 << 28, len(payload), nh, hlim) + src + dst + payload


# ---- RFC 3972 CGA ------------------------------------------------------------------------------

def spki_of(key):
    pub = key.public_key() if hasattr(key, 'public_key') else key
    return pub.public_bytes(serialization.Encoding.DER,
                            serialization.PublicFormat.SubjectPublicKeyInfo)


def der_tlv_len(b, off):
    """Length of the DER TLV at off (the SPKI is a SEQUENCE; RFC 3972 §3)."""
    if b[off] != 0x30:
        raise ValueError('not a SEQUENCE')
    n = b[off + 1]
    if n < 0x80:
        return 2 + n
    k = n & 0x7f
    if k == 0 or k > 2:
        raise ValueError('bad DER length')
    return 2 + k + int.from_bytes(b[off + 2:off + 2 + k], 'big')


def cga_hash2(modifier, pk_and_ext):
    return hashlib.sha1(modifier + bytes(9) + pk_and_ext).digest()[:14]


def cga_generate(spki, prefix8, sec, modifier=None):
    """RFC 3972 §4 (no DAD, collision count 0)."""
    m = int.from_bytes(os.urandom(16), 'big') if modifier is None else modifier
    while True:
        mb = m.to_bytes(16, 'big')
        h2 = cga_hash2(mb, spki)
        if h2[:2 * sec] == bytes(2 * sec):
            break
        m = (m + 1) % (1 << 128)
    params = mb + prefix8 + b'\x00' + spki
    h1 = hashlib.sha1(params).digest()[:8]
    iid = bytes([(sec << 5) | (h1[0] & 0x1c)]) + h1[1:]
    return prefix8 + iid, params


def cga_verify(addr, params):
    """RFC 3972 §5, the seven steps in order.  Returns (sec, spki) or raises ValueError."""
    if len(params) < 25 + 2:
        raise ValueError('params too short')
    modifier, prefix, cc = params[:16], params[16:24], params[24]
    if cc > 2:
        raise ValueError('step 1: collision count')
    if prefix != addr[:8]:
        raise ValueError('step 2: prefix')
    h1 = hashlib.sha1(params).digest()[:8]  # step 3
    iid = addr[8:]
    if (h1[0] & 0x1c) != (iid[0] & 0x1c) or h1[1:] != iid[1:]:
        raise ValueError('step 4: hash1')
    sec = iid[0] >> 5  # step 5
    if sec > 2:
        raise ValueError('step 5: sec')
    spki_len = der_tlv_len(params, 25)
    h2 = cga_hash2(modifier, params[25:])  # step 6 (key and extensions)
    if h2[:2 * sec] != bytes(2 * sec):
        raise ValueError('step 7: hash2')
    return sec, params[25:25 + spki_len]


class Ident:
    """A signing identity: RSA key and its CGA."""

    def __init__(self, key, prefix8=None, sec=1, modifier=None, params=None, addr=None):
        self.key = key
        self.spki = spki_of(key)
        if params is None:
            self.addr, self.params = cga_generate(self.spki, prefix8, sec, modifier)
        else:  # given parameters: they must verify as addr and carry this key
            self.addr, self.params = addr, params
            if cga_verify(addr, params)[1] != self.spki:
                raise ValueError('params do not carry the key')
        self.key_hash = hashlib.sha1(self.spki).digest()[:16]
        self.bits = key.key_size


# ---- ND options (RFC 4861 §4.6, RFC 5568 §6.4, RFC 3971 §5, RFC 5269 §4) -------------------

def ndopt(t, body):
    n = (2 + len(body) + 7) // 8
    return bytes([t, n]) + body + bytes(8 * n - 2 - len(body))


def padded(t, head, data, extra=b''):
    """Options with a Pad Length octet: Type, Length, Pad Length, <head>, data, padding."""
    raw = 3 + len(head) + len(data)
    n = (raw + 7) // 8
    pad = 8 * n - raw
    return bytes([t, n, pad]) + head + data + bytes(pad)


def opt_lla(code, lla):
    return ndopt(19, bytes([code]) + lla)


def opt_ipaddr(code, plen, addr):
    return ndopt(17, bytes([code, plen]) + bytes(4) + addr)


def opt_cga(params):
    return padded(11, b'\x00', params)


def opt_ts(ts):
    return ndopt(13, bytes(6) + struct.pack('!Q', ts))


def opt_nonce(nonce):
    return ndopt(14, nonce)


def opt_hkreq(at, spki):
    return padded(27, bytes([at << 4]), spki)


def opt_hkrep(at, lifetime, enc):
    return padded(28, bytes([at << 4]) + struct.pack('!H', lifetime), enc)


def opt_rsasig(key_hash, sig):
    return ndopt(12, b'\x00\x00' + key_hash + sig)


def parse_opts(msg, off=8):
    """[(type, start, option bytes)] of an ND option list; raises on a malformed walk."""
    out = []
    while off < len(msg):
        if off + 2 > len(msg) or msg[off + 1] == 0:
            raise ValueError('bad option at %d' % off)
        n = 8 * msg[off + 1]
        if off + n > len(msg):
            raise ValueError('option overruns the message')
        out.append((msg[off], off, msg[off:off + n]))
        off += n
    return out


def padded_data(o, head):
    """The data of a Pad Length option after `head` octets of fixed fields."""
    return o[3 + head:len(o) - o[2]]


# ---- the A5 signed data and SEND signing/verification (PROTOCOL.md 2.2) --------------------

def signed_data(src, dst, icmp, sig_off):
    cut = bytearray(icmp[:sig_off])
    put16(cut, 2, 0)
    c = l4_csum(src, dst, 58, bytes(cut))  # pseudo-header length = the cut length (A5)
    return CGA_TAG + src + dst + bytes(icmp[:2]) + struct.pack('!H', c) + bytes(icmp[4:sig_off])


def sign_and_finish(ident, src, dst, icmp_unsigned, sig_key=None, key_hash=None):
    """Append the RSA Signature option (last) and set the final checksum (RFC 3971 §5.2.1)."""
    k = sig_key or ident.key
    tbs = signed_data(src, dst, icmp_unsigned, len(icmp_unsigned))
    sig = k.sign(tbs, padding.PKCS1v15(), hashes.SHA1())
    msg = bytearray(icmp_unsigned + opt_rsasig(key_hash or ident.key_hash, sig))
    put16(msg, 2, 0)
    put16(msg, 2, l4_csum(src, dst, 58, bytes(msg)))
    return ip6(src, dst, 58, 255, bytes(msg))


def refresh_csum(pkt):
    """Recompute the ICMPv6 checksum of a packet after a deliberate change."""
    p = bytearray(pkt)
    put16(p, 42, 0)
    put16(p, 42, l4_csum(p[8:24], p[24:40], 58, bytes(p[40:])))
    return bytes(p)


def split_ip6(pkt):
    ver, plen, nh, hlim = struct.unpack('!IHBB', pkt[:8])
    if ver >> 28 != 6 or 40 + plen != len(pkt):
        raise ValueError('not an IPv6 packet of this length')
    return pkt[8:24], pkt[24:40], nh, hlim, pkt[40:]


def send_verify(pkt, certified=None):
    """RFC 3971 verification from raw bytes; returns a dict of what the message carries.

    The signer is the CGA option's key after the RFC 3972 §5 checks against the source, or
    `certified` (a public key) when given, which must then equal the CGA key too."""
    src, dst, nh, hlim, icmp = split_ip6(pkt)
    r = {'src': src, 'dst': dst, 'hlim': hlim, 'nh': nh, 'icmp': icmp}
    cs = bytearray(icmp)
    put16(cs, 2, 0)
    wire_csum = struct.unpack('!H', icmp[2:4])[0]
    r['csum_ok'] = nh == 58 and l4_csum(src, dst, 58, bytes(cs)) == wire_csum
    opts = parse_opts(icmp, 8)
    sig = next((o for o in opts if o[0] == 12), None)
    before = [o for o in opts if sig is None or o[1] < sig[1]]  # §5.2.2: ignore after it
    r['opts'] = before
    by = {}
    for t, off, o in before:
        by.setdefault(t, o)
    r['by'] = by
    r['sig_ok'] = False
    if sig is None or 11 not in by:
        return r
    params = padded_data(by[11], 1)
    sec, spki = cga_verify(src, params)
    r['sec'] = sec
    pub = serialization.load_der_public_key(spki)
    if certified is not None and spki_of(certified) != spki:
        return r
    if sig[2][4:20] != hashlib.sha1(spki).digest()[:16]:
        return r
    n = pub.key_size // 8
    s = sig[2][20:20 + n]
    # A5: the signature is one modulus long; the rest of the option is zero padding
    r['sig_pad_ok'] = len(sig[2]) == (20 + n + 7) // 8 * 8 and not any(sig[2][20 + n:])
    try:
        pub.verify(s, signed_data(src, dst, icmp, sig[1]), padding.PKCS1v15(), hashes.SHA1())
        r['sig_ok'] = True
    except InvalidSignature:
        pass
    r['pub'] = pub
    if 13 in by:
        r['ts'] = struct.unpack('!Q', by[13][8:16])[0]
    if 14 in by:
        r['nonce'] = by[14][2:]
    return r


# ---- FBU / FBack with the BADF (PROTOCOL.md 1.4-1.9, A2, A3, A20) -----------------------------

def mh_pad_to(mh, target_mod):
    """Pad1/PadN so that the next option starts at offset = target_mod (mod 8)."""
    n = (target_mod - len(mh)) % 8
    if n == 1:
        mh += b'\x00'
    elif n >= 2:
        mh += bytes([1, n - 2]) + bytes(n - 2)
    return mh


def badf_seal(mh, at, key, coa, par):
    """Append the BADF (A20 placement), set Header Len, MAC (1.9) and return the MH."""
    _, tag_len, _ = AT_MAC[at]
    mh = mh_pad_to(bytearray(mh), 6 if tag_len == 12 else 2)
    mh += bytes([21, 4 + tag_len]) + bytes(4)  # SPI 0 (RFC 5568 §6.4.5), A3 length
    if (len(mh) + tag_len) % 8:
        raise ValueError('A20 placement')
    mh[1] = (len(mh) + tag_len) // 8 - 1
    put16(mh, 4, 0)
    auth = hmac.new(key, coa + par + bytes(mh), AT_MAC[at][0]).digest()[:tag_len]
    return bytes(mh + auth)


def build_fbu(at, key, pcoa, ncoa, par, seq, lifetime, from_par_link):
    src = pcoa if from_par_link else ncoa
    mh = bytearray([59, 0, 8, 0, 0, 0]) + struct.pack('!HBBH', seq, 0xc0, 0, lifetime)  # A|H
    if from_par_link:  # A2: the NCoA in an Alternate Care-of Address option (8n+6)
        mh = mh_pad_to(mh, 6) + bytes([3, 16]) + ncoa
    mh = bytearray(badf_seal(mh, at, key, ncoa, par))
    put16(mh, 4, l4_csum(pcoa, par, 135, bytes(mh)))  # pseudo-source = the HAO (RFC 3775)
    dstopt = bytes([135, 2, 1, 2, 0, 0, 0xc9, 16]) + pcoa  # PadN(2), HAO at 8n+6
    return ip6(src, par, 60, 64, dstopt + bytes(mh))


def build_fback(at, key, par, ncoa, seq, lifetime, status=0):
    mh = bytearray([59, 0, 9, 0, 0, 0, status, 0]) + struct.pack('!HH', seq, lifetime)
    mh = bytearray(badf_seal(mh, at, key, ncoa, par))
    put16(mh, 4, l4_csum(par, ncoa, 135, bytes(mh)))
    return ip6(par, ncoa, 135, 64, bytes(mh))


def parse_mh_packet(pkt):
    """IPv6 [+ Destination Options] + MH: (src, dst, hao, mh, options {type: (off, bytes)})."""
    src, dst, nh, _, rest = split_ip6(pkt)
    hao = None
    if nh == 60:
        n = 8 * (rest[1] + 1)
        d, off = rest[:n], 2
        while off < n:
            if d[off] == 0:
                off += 1
                continue
            if d[off] == 0xc9:
                hao = d[off + 2:off + 18]
            off += 2 + d[off + 1]
        nh, rest = rest[0], rest[n:]
    if nh != 135:
        raise ValueError('no Mobility Header')
    mh = rest[:8 * (rest[1] + 1)]
    opts, off = {}, 12
    while off < len(mh):
        if mh[off] == 0:
            off += 1
            continue
        opts.setdefault(mh[off], (off, mh[off:off + 2 + mh[off + 1]]))
        last = mh[off]
        off += 2 + mh[off + 1]
    if off != len(mh) or last != 21:
        raise ValueError('BADF is not the last option')
    cs = bytearray(mh)
    put16(cs, 4, 0)
    csum_ok = l4_csum(hao or src, dst, 135, bytes(cs)) == struct.unpack('!H', mh[4:6])[0]
    return src, dst, hao, mh, opts, csum_ok


def badf_check(mh, opts, at, key, coa, par):
    off, o = opts[21]
    tag_len = AT_MAC[at][1]
    auth = mh[off + 6:off + 6 + tag_len]
    cs = bytearray(mh)
    put16(cs, 4, 0)
    data = bytes(cs[:off + 6]) + bytes(cs[off + 6 + tag_len:])  # only the tag removed (1.9)
    want = hmac.new(key, coa + par + data, AT_MAC[at][0]).digest()[:tag_len]
    return o[1] == 4 + tag_len and o[2:6] == bytes(4) and hmac.compare_digest(auth, want)


# ---- the C side ------------------------------------------------------------------------------

class Peer:
    def __init__(self, *args):
        self.p = subprocess.Popen([HK_PEER] + list(args), stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        self.hello = self._read()

    def _read(self):
        line = self.p.stdout.readline()
        if not line:
            raise RuntimeError('hk_peer exited (rc %s)' % self.p.poll())
        out = {}
        for tok in line.split():
            k, _, v = tok.partition('=')
            out[k] = '' if v == '-' else v
        return out

    def cmd(self, *parts):
        self.p.stdin.write(' '.join(str(x) for x in parts) + '\n')
        self.p.stdin.flush()
        return self._read()

    def close(self):
        self.p.stdin.write('quit\n')
        self.p.stdin.close()
        check(self.p.wait(30) == 0, 'hk_peer exits cleanly')


def load_key(name):
    with open(os.path.join(KEYS, name), 'rb') as f:
        return serialization.load_pem_private_key(f.read(), None)


class Clock:
    """48.16 timestamps, one second apart, starting now (the C side gets the same `now`)."""

    def __init__(self):
        self.t = int(time.time()) << 16

    def tick(self, sec=1):
        self.t += sec << 16
        return self.t


def new_key(bits):
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


# ---- self-checks of the Python side against the published vectors ---------------------------

def self_check(ref):
    section('python side vs the published vectors (PROTOCOL.md §3.6, §10)')
    mn1 = load_key('mn1.key.pem')
    with open(os.path.join(KEYS, 'mn1.cga.params'), 'rb') as f:
        params = f.read()
    pcoa = bytes.fromhex('20030000000000003049deebfd3170b0')
    sec, spki = cga_verify(pcoa, params)
    check(sec == 1 and spki == spki_of(mn1), 'mn1 params verify as 2003::3049:deeb:fd31:70b0')
    ar_addr, _ = cga_generate(spki_of(load_key('ar1.key.pem')), bytes.fromhex('fe80') + bytes(6),
                              1, 0)
    check(ar_addr.hex() == 'fe8000000000000020a7895c230273f1', 'ar1 CGA from modifier 0')

    s = ref['send']
    sol = send_verify(bytes.fromhex(s['rtsolpr_ipv6']))
    check(sol['sig_ok'] and sol['sig_pad_ok'] and sol['csum_ok'], '10.1 RtSolPr verifies (A5)')
    sig_off = next(o[1] for o in parse_opts(sol['icmp']) if o[0] == 12)
    check(signed_data(sol['src'], sol['dst'], sol['icmp'], sig_off).hex()
          == s['rtsolpr_signed_data'], '10.1 signed data octets')
    adv = send_verify(bytes.fromhex(s['prrtadv_ipv6']))
    check(adv['sig_ok'] and adv['sig_pad_ok'] and adv['csum_ok'], '10.2 PrRtAdv verifies')
    rep = adv['by'][28]
    k = load_key('mn2.key.pem').decrypt(padded_data(rep, 3), padding.PKCS1v15())
    check(k.hex() == s['handover_key'], '10.2 Handover Key Reply decrypts with mn2 (A11)')
    check(struct.unpack('!H', rep[4:6])[0] == 43200 and rep[3] >> 4 == 0, '10.2 AT 0, 43200')

    f = ref['fbu']
    ncoa, par = bytes.fromhex('20030000000000023049deebfd3170b0'), PAR
    for at, seqs in ((0, (1, 2)), (1, (5, 6))):  # the vectors' sequence numbers
        v, key = f['at%d' % at], bytes.fromhex(f['at%d' % at]['key'])
        p = build_fbu(at, key, pcoa, ncoa, par, seqs[0], 10, True)
        check(p.hex() == v['from_par_link_ipv6'], 'FBU AT %d from the PAR link == vector' % at)
        p = build_fbu(at, key, pcoa, ncoa, par, seqs[1], 10, False)
        check(p.hex() == v['from_nar_link_ipv6'], 'FBU AT %d from the NAR link == vector' % at)
        if 'fback_ipv6' in v:
            p = build_fback(at, key, par, ncoa, 1, 10)
            check(p.hex() == v['fback_ipv6'], 'FBack AT %d == vector' % at)


# ---- part 1: Python MN -> C AR ---------------------------------------------------------------

class PyMN:
    def __init__(self, ident, bits=None):
        self.id = ident
        self.enc = new_key(bits or ident.bits)
        self.ident_no = 0x4000

    def rtsolpr(self, dst, ts, at, enc_spki=None, corrupt_sig=False, nonce=None, aps=None,
                no_ts=False, after_sig=b'', no_hkreq=False):
        self.ident_no += 1
        self.nonce = os.urandom(14) if nonce is None else nonce
        icmp = bytes([154, 0, 0, 0, 2, 0]) + struct.pack('!H', self.ident_no)
        icmp += opt_lla(4, MN_LLA) + (opt_lla(1, AP_LLA) if aps is None else aps)
        icmp += opt_cga(self.id.params) + (b'' if no_ts else opt_ts(ts)) + opt_nonce(self.nonce)
        if not no_hkreq:
            icmp += opt_hkreq(at, enc_spki or spki_of(self.enc))
        pkt = sign_and_finish(self.id, self.id.addr, dst, icmp)
        if corrupt_sig:
            p = bytearray(pkt)
            p[-10] ^= 0x01  # inside the signature (the last 4 octets are padding)
            pkt = refresh_csum(bytes(p))
        if after_sig:  # RFC 3971 §5.2.2: options after the signature are ignored
            p = bytearray(pkt + after_sig)
            put16(p, 4, len(p) - 40)
            pkt = refresh_csum(bytes(p))
        return pkt


NAR_TUPLE = [opt_lla(1, AP_LLA), opt_lla(3, NAR_LLA), opt_ipaddr(3, 128, NAR_ADDR),
             opt_ipaddr(4, 64, NAR_PREFIX)]


def check_prrtadv(tag, pkt, ar_addr, mn, ts, expect_nonce=True, code=0, fmip=None):
    """The C AR's PrRtAdv, checked here: returns the verification dict.  fmip: the FMIPv6
    options expected after the source LLA (default: the NAR tuple of the AP asked about)."""
    v = send_verify(pkt)
    icmp = v['icmp']
    check(v['src'] == ar_addr, tag + ': source is the AR link-local CGA')
    check(v['dst'] == mn.id.addr, tag + ': unicast to the RtSolPr source')
    check(v['hlim'] == 255, tag + ': Hop Limit 255 (A7)')
    check(v['csum_ok'], tag + ': ICMPv6 checksum')
    check(icmp[0] == 154 and icmp[4] == 3, tag + ': ICMPv6 154 subtype 3')
    check(struct.unpack('!H', icmp[6:8])[0] == mn.ident_no, tag + ': Identifier copied')
    check(v.get('sec') == 1, tag + ': CGA option verifies as the source (RFC 3972 §5)')
    check(v['sig_ok'] and v['sig_pad_ok'], tag + ': signature verifies over the A5 signed data')
    check(v.get('ts') == ts, tag + ': Timestamp present (A6)')
    if expect_nonce:
        check(v.get('nonce') == mn.nonce, tag + ': Nonce echoed')
    # RFC 5568 §6.1.2: source LLA, then the [AP-ID, AR-Info] tuples, with the Code
    fm = [o[2] for o in v['opts'] if o[0] in (17, 19)]
    want = [opt_lla(4, AR_LLA)] + (NAR_TUPLE if fmip is None else fmip)
    check(icmp[1] == code and fm == want, tag + ': Code %d and its FMIPv6 options' % code)
    return v


def decrypt_reply(tag, v, mn, at, lifetime):
    rep = v['by'].get(28)
    check(rep is not None, tag + ': Handover Key Reply present')
    if rep is None:
        return None
    check(rep[3] >> 4 == at, tag + ': AT %d' % at)
    check(struct.unpack('!H', rep[4:6])[0] == lifetime, tag + ': Key Lifetime %d' % lifetime)
    enc = padded_data(rep, 3)
    check(len(enc) == mn.enc.key_size // 8, tag + ': ciphertext is one modulus long (A11)')
    try:
        key = mn.enc.decrypt(enc, padding.PKCS1v15())
    except ValueError:
        check(False, tag + ': RSAES-PKCS1-v1_5 decryption')
        return None
    check(len(key) == AT_MAC[at][2], tag + ': key of %d octets (A9)' % AT_MAC[at][2])
    return key


def part1_one(ar, ar_addr, clock, mn, at, label):
    tag = 'py MN %s AT %d' % (label, at)
    t0 = clock.tick()
    r = ar.cmd('rtsolpr', t0, mn.rtsolpr(ar_addr, t0, at).hex())
    check(r['reason'] == 'OK' and r['op'] == 'insert', tag + ': served, op insert (%s)' % r)
    v = check_prrtadv(tag, bytes.fromhex(r['pkt']), ar_addr, mn, t0)
    key = decrypt_reply(tag, v, mn, at, HK_LIFETIME)
    check(key is not None and key.hex() == r['key'] and r['cga'] == mn.id.addr.hex(),
          tag + ': decrypted key == the key the AR reports for this CGA')
    s = ar.cmd('store', mn.id.addr.hex())
    check(s['found'] == '1' and s['key'] == r['key'] and s['at'] == str(at),
          tag + ': stored by the CGA with the AT (A8)')
    stored = s['stored']

    # the same CGA again (asking for the other AT): the same key, its AT, what is left of it
    t1 = clock.tick(5)
    r2 = ar.cmd('rtsolpr', t1, mn.rtsolpr(ar_addr, t1, 1 - at).hex())
    check(r2['reason'] == 'OK' and r2['op'] == 'existing', tag + ': again: op existing')
    v2 = check_prrtadv(tag + ' again', bytes.fromhex(r2['pkt']), ar_addr, mn, t1)
    key2 = decrypt_reply(tag + ' again', v2, mn, at, HK_LIFETIME - ((t1 >> 16) - (t0 >> 16)))
    check(key2 == key, tag + ': again: decrypts to the same key')
    check(r2['stored'] == stored, tag + ': again: nothing new stored')

    # corrupted signature: A19 reply (signed, no Handover Key Reply, no Nonce), no state
    t2 = clock.tick()
    r3 = ar.cmd('rtsolpr', t2, mn.rtsolpr(ar_addr, t2, at, corrupt_sig=True).hex())
    check(r3['reason'] == 'SEND' and r3['send'] == 'sig' and r3['op'] == 'none',
          tag + ': bad signature refused (%s %s)' % (r3['reason'], r3['send']))
    check(r3['pkt'] != '', tag + ': bad signature still answered (A19)')
    if r3['pkt']:
        v3 = check_prrtadv(tag + ' A19', bytes.fromhex(r3['pkt']), ar_addr, mn, t2, False)
        check(28 not in v3['by'] and 14 not in v3['by'],
              tag + ': A19 reply has no Handover Key Reply and no Nonce')
    s3 = ar.cmd('store', mn.id.addr.hex())
    check(s3 == s, tag + ': bad signature left the stored key unchanged')
    return key


def part1_fbu(ar, mn, at, key, seq):
    tag = 'FBU AT %d' % at
    ncoa = mn.id.addr[:7] + b'\x02' + mn.id.addr[8:]
    for from_par in (True, False):
        t = tag + (' from PAR link' if from_par else ' from NAR link')
        seq += 1
        # A4: seconds, clamped to the policy's 60 s (hk_fbu_policy_defaults)
        lifetime = 30 if from_par else 100
        granted = min(lifetime, 60)
        pkt = build_fbu(at, key, mn.id.addr, ncoa, PAR, seq, lifetime, from_par)
        r = ar.cmd('fbu', pkt.hex())
        check(r['verdict'] == 'ok' and r['seq'] == str(seq) and r['pcoa'] == mn.id.addr.hex()
              and r['ncoa'] == ncoa.hex() and r['par'] == PAR.hex()
              and r['from_par_link'] == str(int(from_par)) and r['lifetime'] == str(granted)
              and r['auth_len'] == str(AT_MAC[at][1]), t + ': lib/mac accepts (%s)' % r)
        check(bool(r.get('fback')), t + ': FBack built')
        if r.get('fback'):
            fb = bytes.fromhex(r['fback'])
            src, dst, _, mh, opts, csum_ok = parse_mh_packet(fb)
            check(src == PAR and dst == ncoa and csum_ok and mh[2] == 9 and mh[6] == 0
                  and struct.unpack('!HH', mh[8:12]) == (seq, granted),
                  t + ': FBack to the NCoA: status 0, the sequence, the granted lifetime')
            check(badf_check(mh, opts, at, key, ncoa, PAR), t + ': FBack BADF verifies here')
        # the same sequence again: A14
        r = ar.cmd('fbu', pkt.hex())
        check(r['verdict'] == 'refused' and r.get('reason') == 'STALE_SEQ', t + ': replay (A14)')
        # one bit of the authenticator, one bit of the Lifetime (checksums made valid)
        for name, where in (('authenticator', -1), ('lifetime', None)):
            seq += 1
            p = bytearray(build_fbu(at, key, mn.id.addr, ncoa, PAR, seq, 30, from_par))
            mh_off = 40 + 24
            off = len(p) - 1 if where == -1 else mh_off + 11
            p[off] ^= 0x01
            put16(p, mh_off + 4, 0)
            put16(p, mh_off + 4, l4_csum(mn.id.addr, PAR, 135, bytes(p[mh_off:])))
            r = ar.cmd('fbu', bytes(p).hex())
            check(r['verdict'] == 'bad-mac', t + ': one bit of the %s -> refused' % name)
    return seq


def part1(clock):
    section('part 1: Python MN -> C AR (hk_ar_rtsolpr)')
    ar = Peer('ar', os.path.join(KEYS, 'ar1.key.pem'))
    ar_addr = bytes.fromhex(ar.hello['addr'])
    ar_id = Ident(load_key('ar1.key.pem'), bytes.fromhex('fe80') + bytes(6), 1, 0)
    check(ar_id.addr == ar_addr, 'the AR CGA of hk_peer == the one computed here')

    with open(os.path.join(KEYS, 'mn1.cga.params'), 'rb') as f:
        mn1 = PyMN(Ident(load_key('mn1.key.pem'), params=f.read(),
                         addr=bytes.fromhex('20030000000000003049deebfd3170b0')))
    seq = 0
    for at in (0, 1):
        # a new CGA for every AT (the same CGA would get its first key back, checked below)
        mns = [(mn1, 'mn1')] if at == 0 else []
        mns += [(PyMN(Ident(new_key(b), bytes.fromhex('2003') + bytes(6), 1)), '%d-bit' % b)
                for b in (1024, 2048)]
        for mn, label in mns:
            key = part1_one(ar, ar_addr, clock, mn, at, label)
            if key is not None and label != '2048-bit':
                seq = part1_fbu(ar, mn, at, key, seq)

    part1_variants(ar, ar_addr, clock)

    # A10: an encryption key of another size than the CGA key: answered, no key
    mn = PyMN(Ident(new_key(1024), bytes.fromhex('2003') + bytes(6), 1))
    other = new_key(2048)
    t = clock.tick()
    r = ar.cmd('rtsolpr', t, mn.rtsolpr(ar_addr, t, 0, enc_spki=spki_of(other)).hex())
    check(r['reason'] == 'ENC_KEY' and r['op'] == 'none', 'A10: 2048-bit encryption key refused')
    v = check_prrtadv('A10', bytes.fromhex(r['pkt']), ar_addr, mn, t)
    check(28 not in v['by'], 'A10: no Handover Key Reply')
    check(ar.cmd('store', mn.id.addr.hex())['found'] == '0', 'A10: nothing stored')

    # Hop Limit 64 (A7), re-signed so only the hop limit is wrong: refused, nothing stored
    t = clock.tick()
    p = bytearray(mn.rtsolpr(ar_addr, t, 0))
    p[7] = 64
    r = ar.cmd('rtsolpr', t, bytes(p).hex())
    check(r['reason'] == 'SEND' and r['send'] == 'hop-limit' and r['op'] == 'none',
          'A7: Hop Limit 64 refused (%s)' % r['send'])
    ar.close()

    # a configured HK-LIFETIME reaches the wire and the record; after it, a new key
    ar = Peer('ar', os.path.join(KEYS, 'ar1.key.pem'), '600')
    t = clock.tick()
    r = ar.cmd('rtsolpr', t, mn.rtsolpr(ar_addr, t, 1).hex())
    v = check_prrtadv('HK-LIFETIME 600', bytes.fromhex(r['pkt']), ar_addr, mn, t)
    key = decrypt_reply('HK-LIFETIME 600', v, mn, 1, 600)
    check(r['op'] == 'insert' and r['lifetime'] == '600' and key is not None
          and key.hex() == r['key'], 'HK-LIFETIME 600: recorded and sent')
    t = clock.tick(600)
    r = ar.cmd('rtsolpr', t, mn.rtsolpr(ar_addr, t, 1).hex())
    v = check_prrtadv('HK-LIFETIME 600 later', bytes.fromhex(r['pkt']), ar_addr, mn, t)
    key2 = decrypt_reply('HK-LIFETIME 600 later', v, mn, 1, 600)
    check(r['op'] == 'insert' and key2 is not None and key2 != key,
          'HK-LIFETIME 600: after it a new key, never the old one (RFC 5269 §3.6)')
    ar.close()


def part1_variants(ar, ar_addr, clock):
    """RtSolPr shapes other than the common one, each from a new CGA."""
    def fresh(sec=1, bits=1024):
        return PyMN(Ident(new_key(bits), bytes.fromhex('2003') + bytes(6), sec))

    def serve(tag, mn, pkt, t, reason='OK', **kw):
        r = ar.cmd('rtsolpr', t, pkt.hex())
        check(r['reason'] == reason, '%s: %s (%s/%s)' % (tag, reason, r['reason'], r['send']))
        return r, (check_prrtadv(tag, bytes.fromhex(r['pkt']), ar_addr, mn, t, **kw)
                   if r['pkt'] else None)

    # the shortest and a longer Nonce (RFC 3971 §5.3.2: 6 + 8k octets), echoed exactly
    for n in (6, 22):
        mn, t = fresh(), clock.tick()
        r, v = serve('%d-octet nonce' % n, mn, mn.rtsolpr(ar_addr, t, 0, nonce=os.urandom(n)), t)
        check(r['op'] == 'insert' and decrypt_reply('%d-octet nonce' % n, v, mn, 0,
                                                    HK_LIFETIME).hex() == r['key'],
              '%d-octet nonce: provisioned' % n)
    # to all-routers: answered by unicast from the link-local CGA
    mn, t = fresh(), clock.tick()
    allr = bytes.fromhex('ff020000000000000000000000000002')
    r, v = serve('to ff02::2', mn, mn.rtsolpr(allr, t, 0), t)
    check(r['op'] == 'insert', 'to ff02::2: provisioned')
    # the wildcard New-AP (Option-Code 0): every AP the AR knows
    mn, t = fresh(), clock.tick()
    serve('wildcard AP', mn, mn.rtsolpr(ar_addr, t, 0, aps=opt_lla(0, bytes(6))), t)
    # an AP the AR does not know: Code 2, Option-Code 6 (no prefix information)
    mn, t = fresh(), clock.tick()
    unknown = bytes.fromhex('0200000000cc')
    serve('unknown AP', mn, mn.rtsolpr(ar_addr, t, 0, aps=opt_lla(1, unknown)), t, code=2,
          fmip=[opt_lla(6, unknown)])
    # an AT the AR does not know: the strongest it has (A1: AT 1)
    mn, t = fresh(), clock.tick()
    r, v = serve('AT 9', mn, mn.rtsolpr(ar_addr, t, 9), t)
    check(decrypt_reply('AT 9', v, mn, 1, HK_LIFETIME).hex() == r['key'], 'AT 9: AT 1 key')
    # Sec 0 CGA; a CGA with an extension field (RFC 4581 TLV, in both hashes)
    mn, t = fresh(sec=0), clock.tick()
    r, _ = serve('Sec 0 CGA', mn, mn.rtsolpr(ar_addr, t, 0), t)
    check(r['op'] == 'insert', 'Sec 0 CGA: provisioned')
    k = new_key(1024)
    ext = struct.pack('!HH', 0xfffd, 4) + b'test'
    m = 0
    while cga_hash2(m.to_bytes(16, 'big'), spki_of(k) + ext)[:2] != b'\x00\x00':
        m += 1
    params = m.to_bytes(16, 'big') + bytes.fromhex('2003') + bytes(7) + spki_of(k) + ext
    h1 = hashlib.sha1(params).digest()[:8]
    addr = params[16:24] + bytes([0x20 | (h1[0] & 0x1c)]) + h1[1:]
    mn, t = PyMN(Ident(k, params=params, addr=addr)), clock.tick()
    r, _ = serve('CGA with an extension', mn, mn.rtsolpr(ar_addr, t, 0), t)
    check(r['op'] == 'insert', 'CGA with an extension field: provisioned')
    # options after the RSA Signature are ignored (RFC 3971 §5.2.2)
    mn, t = fresh(), clock.tick()
    r, _ = serve('options after the signature', mn,
                 mn.rtsolpr(ar_addr, t, 0, after_sig=opt_nonce(os.urandom(6)) + ndopt(99, b'x')),
                 t)
    check(r['op'] == 'insert', 'options after the signature: ignored, provisioned')
    # a verified RtSolPr without a Handover Key Request: a plain PrRtAdv with the Nonce
    mn, t = fresh(), clock.tick()
    r, v = serve('no Handover Key Request', mn, mn.rtsolpr(ar_addr, t, 0, no_hkreq=True), t,
                 'NO_HKREQ')
    check(r['op'] == 'none' and v is not None and 28 not in v['by']
          and ar.cmd('store', mn.id.addr.hex())['found'] == '0',
          'no Handover Key Request: answered without a key, nothing stored')
    # no Timestamp (A6 default: required): no key, no state
    mn, t = fresh(), clock.tick()
    r = ar.cmd('rtsolpr', t, mn.rtsolpr(ar_addr, t, 0, no_ts=True).hex())
    check(r['reason'] == 'SEND' and r['send'] == 'no-timestamp' and r['op'] == 'none',
          'no Timestamp: refused (A6)')
    # a Timestamp 10 minutes old: outside TIMESTAMP_DELTA, refused, A19 reply
    mn, t = fresh(), clock.tick()
    r, v = serve('old Timestamp', mn, mn.rtsolpr(ar_addr, t - (600 << 16), 0), t, 'SEND',
                 expect_nonce=False)
    check(r['send'] == 'ts-window' and r['op'] == 'none' and v is not None
          and 28 not in v['by'] and 14 not in v['by'], 'old Timestamp: A19 reply, no key')
    # the same bytes again a second later: refused, the key untouched
    mn, t = fresh(), clock.tick()
    pkt = mn.rtsolpr(ar_addr, t, 0)
    r = ar.cmd('rtsolpr', t, pkt.hex())
    s = ar.cmd('store', mn.id.addr.hex())
    r2 = ar.cmd('rtsolpr', clock.tick(), pkt.hex())
    check(r['op'] == 'insert' and r2['reason'] == 'SEND' and r2['send'] == 'ts-replay'
          and r2['op'] == 'none' and ar.cmd('store', mn.id.addr.hex()) == s,
          'an exact replay: refused, the stored key unchanged')


# ---- part 2: Python AR -> C MN ---------------------------------------------------------------

def self_signed(key, path):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'interop-ar')])
    now = datetime.datetime.utcnow()
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(hours=1))
            .sign(key, hashes.SHA256()))
    with open(path, 'wb') as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))


class PyAR:
    def __init__(self, ident):
        self.id = ident

    def prrtadv(self, sol, ts, at, hk, lifetime=HK_LIFETIME, nonce=None, sign_ident=None,
                key_hash=None, no_ts=False, enc_pub=None):
        """A PrRtAdv answering the verified solicitation `sol` (send_verify dict)."""
        signer = sign_ident or self.id
        icmp = bytes([154, 0, 0, 0, 3, 0]) + sol['icmp'][6:8]
        icmp += opt_lla(4, AR_LLA) + opt_lla(1, AP_LLA) + opt_lla(3, NAR_LLA)
        icmp += opt_ipaddr(3, 128, NAR_ADDR) + opt_ipaddr(4, 64, NAR_PREFIX)
        icmp += opt_cga(signer.params) + (b'' if no_ts else opt_ts(ts))
        icmp += opt_nonce(sol['nonce'] if nonce is None else nonce)
        if hk is not None:
            pub = enc_pub or serialization.load_der_public_key(padded_data(sol['by'][27], 1))
            icmp += opt_hkrep(at, lifetime, pub.encrypt(hk, padding.PKCS1v15()))
        return sign_and_finish(signer, signer.addr, sol['src'], icmp, sig_key=signer.key,
                               key_hash=key_hash)


def part2_mn(tmp, clock, ar, mn_key_pem, mn_params_file, expect_addr, label):
    cert = os.path.join(tmp, 'ar.pem')
    self_signed(ar.id.key, cert)
    mn = Peer('mn', mn_key_pem, mn_params_file, ar.id.addr.hex(), cert)
    mn_addr = bytes.fromhex(mn.hello['addr'])
    check(mn_addr == expect_addr, 'C MN %s: its CGA is the one computed here' % label)

    # an impostor: its own key and CGA, claimed to be the router by a certificate mapping
    impostor = Ident(new_key(1024), bytes.fromhex('fe80') + bytes(6), 1)
    check(mn.cmd('set-router', impostor.addr.hex(), cert)['reason'] == 'OK', 'set-router')
    other = new_key(ar.id.bits)
    seq = 0
    for at in (0, 1):
        tag = 'C MN %s AT %d' % (label, at)
        t = clock.tick()
        r = mn.cmd('rtsolpr', t, at, ar.id.addr.hex())
        check(r['reason'] == 'OK', tag + ': RtSolPr built')
        sol = send_verify(bytes.fromhex(r['pkt']))
        icmp = sol['icmp']
        check(sol['src'] == mn_addr and sol['dst'] == ar.id.addr and sol['hlim'] == 255
              and sol['csum_ok'] and icmp[0] == 154 and icmp[1] == 0 and icmp[4] == 2,
              tag + ': RtSolPr header (src CGA, dst AR, Hop Limit 255, 154/2)')
        check(sol.get('sec') == 1 and sol['sig_ok'] and sol['sig_pad_ok'],
              tag + ': RtSolPr CGA and signature verify')
        check(len(sol.get('nonce', b'')) >= 6 and sol.get('ts') == t,
              tag + ': RtSolPr Nonce and Timestamp present')
        req = sol['by'].get(27)
        check(req is not None and req[3] >> 4 == at, tag + ': Handover Key Request with AT')
        enc_pub = serialization.load_der_public_key(padded_data(req, 1))
        check(enc_pub.key_size == sol['pub'].key_size
              and spki_of(enc_pub) != spki_of(sol['pub']),
              tag + ': encryption key: same size as, and not, the CGA key (RFC 5269 §3.1)')
        check(any(o[0] == 19 and o[2][2] == 1 for o in sol['opts']), tag + ': New-AP LLA')

        hk = os.urandom(AT_MAC[at][2])
        good = ar.prrtadv(sol, t, at, hk)
        # another key signs; the AR's CGA option stays, the Key Hash names the other key
        forged = Ident.__new__(Ident)
        forged.__dict__.update(ar.id.__dict__)
        forged.key = other
        forged.key_hash = hashlib.sha1(spki_of(other)).digest()[:16]
        # (expected hk reason: SEND for what RFC 3971 refuses, NONCE for RFC 5269 §3.3)
        bad = {'signed with another key': (PyAR(forged).prrtadv(sol, t, at, hk), 'SEND')}
        bad['signed by a key that is not the certified one'] = (
            PyAR(impostor).prrtadv(sol, t, at, hk), 'SEND')
        bad['with a different nonce'] = (ar.prrtadv(sol, t, at, hk, nonce=os.urandom(14)),
                                         'NONCE')
        bad['without a Timestamp'] = (ar.prrtadv(sol, t, at, hk, no_ts=True), 'SEND')
        p = bytearray(good)
        p[-10] ^= 0x80
        bad['with a corrupted signature'] = (refresh_csum(bytes(p)), 'SEND')
        p = bytearray(good)
        v = send_verify(good)
        rep_off = 40 + next(o[1] for o in v['opts'] if o[0] == 28)
        p[rep_off + 20] ^= 0x01
        bad['with a changed ciphertext'] = (refresh_csum(bytes(p)), 'SEND')
        short = os.urandom(AT_MAC[at][2] - 4)
        bad['with a key shorter than A9 says'] = (ar.prrtadv(sol, t, at, short), 'DECRYPT')
        bad['with an AT the MN does not know'] = (ar.prrtadv(sol, t, 7, hk), 'NO_AT')
        p = bytearray(good)
        p[7] = 64
        bad['with Hop Limit 64 (A7)'] = (bytes(p), 'SEND')
        for what, (pkt, want) in bad.items():
            r = mn.cmd('prrtadv', clock.tick(0) + 1, pkt.hex())
            check(r['reason'] == want, tag + ': PrRtAdv %s refused (%s, want %s)'
                  % (what, r['reason'], want))
        r = mn.cmd('prrtadv', clock.tick(0) + 1, good.hex())
        check(r['reason'] == 'OK' and r.get('key') == hk.hex() and r.get('at') == str(at)
              and r.get('lifetime') == str(HK_LIFETIME) and r.get('ar') == ar.id.addr.hex(),
              tag + ': genuine PrRtAdv accepted, exactly the key sent (%s)' % r.get('reason'))
        r = mn.cmd('prrtadv', clock.tick(0) + 1, good.hex())
        check(r['reason'] == 'NONCE', tag + ': the same PrRtAdv twice: nonce no longer pending')

        # FBU from the C MN with that key, verified here; an FBack made here checked there
        ncoa = mn_addr[:7] + b'\x02' + mn_addr[8:]
        for from_par in (1, 0):
            seq += 1
            t = clock.tick()
            r = mn.cmd('fbu', t, ar.id.addr.hex(), PAR.hex(), ncoa.hex(), seq, 20, from_par)
            fbu = bytes.fromhex(r['pkt'])
            src, dst, hao, mh, opts, csum_ok = parse_mh_packet(fbu)
            coa = opts[3][1][2:18] if 3 in opts else src
            check(r['reason'] == 'OK' and mh[2] == 8 and hao == mn_addr and dst == PAR
                  and csum_ok and coa == ncoa and src == (mn_addr if from_par else ncoa),
                  tag + ': C FBU (from_par_link %d): HAO, source, Alt-CoA, checksum' % from_par)
            check(badf_check(mh, opts, at, hk, coa, dst), tag + ': C FBU BADF verifies here')
            check(fbu == build_fbu(at, hk, mn_addr, ncoa, PAR, seq, 20, bool(from_par)),
                  tag + ': C FBU == the FBU built here (A20 placement)')
            fb = build_fback(at, hk, PAR, ncoa, seq, 20)
            r = mn.cmd('fback', t, ar.id.addr.hex(), fb.hex())
            check(r['reason'] == 'OK', tag + ': FBack made here accepted (%s)' % r['reason'])
            p = bytearray(fb)
            p[-1] ^= 0x01
            put16(p, 44, 0)
            put16(p, 44, l4_csum(PAR, ncoa, 135, bytes(p[40:])))
            r = mn.cmd('fback', t, ar.id.addr.hex(), bytes(p).hex())
            check(r['reason'] == 'BAD_MAC', tag + ': FBack with one bit changed refused')

    # two solicitations outstanding, answered in reverse order: each by its nonce
    t = clock.tick()
    sols = [send_verify(bytes.fromhex(mn.cmd('rtsolpr', t, at, ar.id.addr.hex())['pkt']))
            for at in (0, 1)]
    hks = [os.urandom(20), os.urandom(32)]
    for at in (1, 0):
        r = mn.cmd('prrtadv', t, ar.prrtadv(sols[at], t, at, hks[at]).hex())
        check(r['reason'] == 'OK' and r.get('at') == str(at) and r.get('key') == hks[at].hex(),
              'C MN %s: two outstanding, reply %d of 2 matched by its nonce' % (label, 2 - at))

    # RFC 5269 §3.1, §3.7: the encryption key pair is kept, then replaced after
    # HKEPK-HANDOVERS (10) handovers and after HKEPK-LIFETIME (12 h); a solicitation still
    # outstanding with the previous pair is answered under it and still decrypts
    def solicit(t):
        sol = send_verify(bytes.fromhex(mn.cmd('rtsolpr', t, 0, ar.id.addr.hex())['pkt']))
        return sol, padded_data(sol['by'][27], 1)

    t = clock.tick()
    sol_a, spki_a = solicit(t)
    sol_a2, spki_a2 = solicit(clock.tick())
    check(spki_a2 == spki_a, 'C MN %s: the encryption key is reused' % label)
    for i in range(10):
        r = mn.cmd('handover')
    check(r.get('handovers') == '10', 'C MN %s: 10 handovers recorded' % label)
    t = clock.tick()
    sol_b, spki_b = solicit(t)
    check(spki_b != spki_a and spki_b != spki_of(sol_b['pub']),
          'C MN %s: a new encryption key after HKEPK-HANDOVERS' % label)
    for what, sol in (('previous', sol_a), ('new', sol_b)):
        hk = os.urandom(20)
        r = mn.cmd('prrtadv', t, ar.prrtadv(sol, t, 0, hk).hex())
        check(r['reason'] == 'OK' and r.get('key') == hk.hex(),
              'C MN %s: a reply under the %s encryption key decrypts' % (label, what))
    t = clock.tick(HKEPK_LIFETIME - 2)
    _, spki_c = solicit(t)
    check(spki_c == spki_b, 'C MN %s: the key is kept just before HKEPK-LIFETIME' % label)
    _, spki_d = solicit(clock.tick(2))
    check(spki_d not in (spki_b, spki_a), 'C MN %s: a new encryption key at HKEPK-LIFETIME'
          % label)

    # RFC 5269 §3.2/§3.3: an AR may answer a stronger AT than asked; the MN MUST use it
    tag = 'C MN %s asks AT 0, answered AT 1' % label
    t = clock.tick()
    sol = send_verify(bytes.fromhex(mn.cmd('rtsolpr', t, 0, ar.id.addr.hex())['pkt']))
    hk = os.urandom(32)
    r = mn.cmd('prrtadv', t, ar.prrtadv(sol, t, 1, hk).hex())
    check(r['reason'] == 'OK' and r.get('at') == '1' and r.get('key') == hk.hex(),
          tag + ': key stored with AT 1 (%s)' % r['reason'])
    mn.close()


def part2(clock):
    section('part 2: Python AR -> C MN (hk_mn_*)')
    ar = PyAR(Ident(load_key('ar1.key.pem'), bytes.fromhex('fe80') + bytes(6), 1, 0))
    with tempfile.TemporaryDirectory() as tmp:
        part2_mn(tmp, clock, ar, os.path.join(KEYS, 'mn1.key.pem'),
                 os.path.join(KEYS, 'mn1.cga.params'),
                 bytes.fromhex('20030000000000003049deebfd3170b0'), 'mn1')
        # a 2048-bit MN whose key and CGA Parameters are made here (C loads and verifies them)
        ident = Ident(new_key(2048), bytes.fromhex('2003') + bytes(6), 1)
        kp, pp = os.path.join(tmp, 'mn.pem'), os.path.join(tmp, 'mn.params')
        with open(kp, 'wb') as f:
            f.write(ident.key.private_bytes(serialization.Encoding.PEM,
                                            serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()))
        with open(pp, 'wb') as f:
            f.write(ident.params)
        part2_mn(tmp, clock, ar, kp, pp, ident.addr, '2048-bit')
        # a 2048-bit AR for the 1024-bit MN
        ar2 = PyAR(Ident(new_key(2048), bytes.fromhex('fe80') + bytes(6), 1))
        part2_mn(tmp, clock, ar2, os.path.join(KEYS, 'mn1.key.pem'),
                 os.path.join(KEYS, 'mn1.cga.params'),
                 bytes.fromhex('20030000000000003049deebfd3170b0'), 'mn1/2048-bit AR')


def findings(clock):
    """Behaviour of lib/hk reported to its owner and not (yet) asserted: each line says what
    happens now.  Run with --findings; not part of the suite."""
    section('findings (informational, see the report of the interop test)')
    ar = Peer('ar', os.path.join(KEYS, 'ar1.key.pem'))
    ar_addr = bytes.fromhex(ar.hello['addr'])
    mn = PyMN(Ident(new_key(1024), bytes.fromhex('2003') + bytes(6), 1))
    nonce = os.urandom(14)
    t = clock.tick()
    r = ar.cmd('rtsolpr', t, mn.rtsolpr(ar_addr, t, 0, nonce=nonce).hex())
    t = clock.tick()
    r2 = ar.cmd('rtsolpr', t, mn.rtsolpr(ar_addr, t, 0, nonce=nonce).hex())
    print('F1 AR: a freshly signed RtSolPr (newer Timestamp) reusing a verified Nonce: %s/%s '
          'op %s (first: %s/%s)' % (r2['reason'], r2['send'], r2['op'], r['reason'], r['op']))
    ar.close()

    par = PyAR(Ident(load_key('ar1.key.pem'), bytes.fromhex('fe80') + bytes(6), 1, 0))
    with tempfile.TemporaryDirectory() as tmp:
        cert = os.path.join(tmp, 'ar.pem')
        self_signed(par.id.key, cert)
        cmn = Peer('mn', os.path.join(KEYS, 'mn1.key.pem'), os.path.join(KEYS, 'mn1.cga.params'),
                   par.id.addr.hex(), cert)

        def solicit(at=0):
            t = clock.tick()
            return t, send_verify(bytes.fromhex(cmn.cmd('rtsolpr', t, at,
                                                        par.id.addr.hex())['pkt']))

        t, sol = solicit()
        r = cmn.cmd('prrtadv', t, par.prrtadv(dict(sol, src=PAR), t, 0, os.urandom(20)).hex())
        print('F2 MN: PrRtAdv (right nonce) sent to another address than the MN: %s'
              % r['reason'])
        t, sol = solicit()
        ic = bytearray(sol['icmp'])
        ic[6] ^= 0xff
        r = cmn.cmd('prrtadv', t, par.prrtadv(dict(sol, icmp=bytes(ic)), t, 0,
                                              os.urandom(20)).hex())
        print('F3 MN: PrRtAdv with another Identifier than the RtSolPr: %s' % r['reason'])
        t, sol = solicit()
        t = clock.tick(86400)
        r = cmn.cmd('prrtadv', t, par.prrtadv(sol, t, 0, os.urandom(20)).hex())
        print('F4 MN: PrRtAdv a day after the RtSolPr ("recently sent", RFC 3971 5.3.4.1): %s'
              % r['reason'])
        t, sol = solicit(1)
        r = cmn.cmd('prrtadv', t, par.prrtadv(sol, t, 0, os.urandom(20)).hex())
        print('F5 MN: asked AT 1, answered AT 0 (weaker): %s at %s' % (r['reason'], r.get('at')))
        cmn.close()


def main():
    with open(os.path.join(VECTORS, 'reference.json')) as f:
        ref = json.load(f)
    clock = Clock()
    self_check(ref)
    if '--findings' in sys.argv[3:]:
        findings(clock)
        return 0
    part1(clock)
    part2(clock)
    print('%d checks, %d failed' % (checks, len(failures)))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
