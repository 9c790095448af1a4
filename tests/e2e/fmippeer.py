# SPDX-License-Identifier: BSD-3-Clause
"""An independent mobile-node peer for fmipgw tests, written from the RFCs and PROTOCOL.md
(not from the C code): SEND signing and verification (RFC 3971 section 5.2 with decision A5),
CGA addresses (RFC 3972), the RtSolPr with a Handover Key Request (RFC 5269 section 4.1), the
PrRtAdv's Handover Key Reply (A11) decryption, FBUs with a BADF authenticator (RFC 5568
section 6.4.5, A2/A12/A16), CPS, and a DPDK telemetry client.

Only the Python standard library, python3-cryptography and (for frames) plain bytes.
self_test() checks every builder against tests/vectors/reference.json.
"""
import hashlib
import hmac
import json
import os
import socket
import struct
import time

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

CGA_TAG = bytes.fromhex("086fca5e10b200c99c8ce00164277c08")
ALL_ROUTERS = bytes.fromhex("ff020000000000000000000000000002")

# ---- checksums ------------------------------------------------------------------------------


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def l4_csum(src, dst, nh, msg):
    pseudo = src + dst + struct.pack("!I", len(msg)) + b"\0\0\0" + bytes([nh])
    return csum(pseudo + msg)


def ip6_hdr(src, dst, nh, plen, hlim=255):
    return struct.pack("!IHBB", 6 << 28, plen, nh, hlim) + src + dst


def eth(dst_mac, src_mac, payload, ethertype=0x86DD):
    return dst_mac + src_mac + struct.pack("!H", ethertype) + payload


def mcast_mac(ip6):
    return b"\x33\x33" + ip6[12:16]


# ---- keys and CGAs --------------------------------------------------------------------------


def load_key(path):
    with open(path, "rb") as f:
        return serialization.load_pem_private_key(f.read(), None)


def spki(pub):
    return pub.public_bytes(serialization.Encoding.DER,
                            serialization.PublicFormat.SubjectPublicKeyInfo)


def key_hash(pub):
    return hashlib.sha1(spki(pub)).digest()[:16]


def cga_params_pubkey_der(params):
    """The DER SPKI inside CGA Parameters (modifier 16, prefix 8, collision 1, key...)."""
    der = params[25:]
    # outer SEQUENCE length
    if der[1] & 0x80:
        n = der[1] & 0x7F
        ln = int.from_bytes(der[2:2 + n], "big")
        return der[:2 + n + ln]
    return der[:2 + der[1]]


def cga_address(params, sec=None):
    """RFC 3972 section 4 step 6-7: prefix || Hash1 with Sec and u/g bits set."""
    h1 = bytearray(hashlib.sha1(params).digest()[:8])
    if sec is None:
        sec = 1
    h1[0] = (h1[0] & 0x1C) | (sec << 5)
    return params[16:24] + bytes(h1)


# ---- SEND (RFC 3971) ------------------------------------------------------------------------


def opt(t, body):
    """An ND option: Type, Length (8-octet units) and zero padding."""
    ln = (2 + len(body) + 7) // 8
    return bytes([t, ln]) + body + b"\0" * (ln * 8 - 2 - len(body))


def opt_padded(t, lead, data):
    """Options with a Pad Length octet (CGA 11, HK Request 27, HK Reply 28)."""
    total = 2 + len(lead) + len(data)  # lead: [Pad Length placeholder, octet 3]
    ln = (total + 7) // 8
    pad = ln * 8 - total
    return bytes([t, ln, pad]) + lead[1:] + data + b"\0" * pad


def opt_cga(params):
    # 0 Type 1 Length 2 Pad Length 3 Reserved 4.. params
    return opt_padded(11, b"\0\0", params)


def opt_timestamp(ts48_16):
    return bytes([13, 2]) + b"\0" * 6 + struct.pack("!Q", ts48_16)


def opt_nonce(nonce):
    assert (len(nonce) + 2) % 8 == 0
    return bytes([14, (len(nonce) + 2) // 8]) + nonce


def opt_hkreq(at, enc_pub_der):
    return opt_padded(27, bytes([0, at << 4]), enc_pub_der)


def opt_lla(code, mac):
    return opt(19, bytes([code]) + mac)


def now48():
    t = time.time()
    return (int(t) << 16) | int((t - int(t)) * 65536)


def signed_data(src, dst, icmp_unsigned):
    """A5: tag || src || dst || type, code, checksum over the message cut before the
    signature option || the message from octet 4 to the cut."""
    m = bytearray(icmp_unsigned)
    m[2:4] = b"\0\0"
    c = l4_csum(src, dst, 58, bytes(m))
    return CGA_TAG + src + dst + bytes(m[0:2]) + struct.pack("!H", c) + bytes(m[4:])


def sign_icmp(src, dst, icmp_unsigned, key, hash_key=None):
    """Append the RSA Signature option (key hash of hash_key or key) and set the checksum."""
    sig = key.sign(signed_data(src, dst, icmp_unsigned), padding.PKCS1v15(), hashes.SHA1())
    kh = key_hash((hash_key or key).public_key())
    msg = bytearray(icmp_unsigned + opt(12, b"\0\0" + kh + sig))
    msg[2:4] = b"\0\0"
    msg[2:4] = struct.pack("!H", l4_csum(src, dst, 58, bytes(msg)))
    return bytes(msg)


def finish_icmp(src, dst, icmp):
    m = bytearray(icmp)
    m[2:4] = b"\0\0"
    m[2:4] = struct.pack("!H", l4_csum(src, dst, 58, bytes(m)))
    return bytes(m)


def nd_options(icmp, opts_off):
    """[(type, offset, bytes)] of the ND options of an ICMPv6 message."""
    out = []
    o = opts_off
    while o + 2 <= len(icmp):
        ln = icmp[o + 1] * 8
        if ln == 0 or o + ln > len(icmp):
            raise ValueError("bad option length at %d" % o)
        out.append((icmp[o], o, icmp[o:o + ln]))
        o += ln
    return out


def verify_icmp(src, dst, icmp, opts_off, pub):
    """Verify the RSA Signature option of a SEND message with pub (raises on failure)."""
    sig_opt = [x for x in nd_options(icmp, opts_off) if x[0] == 12]
    if not sig_opt:
        raise ValueError("no RSA Signature option")
    _, off, o = sig_opt[0]
    if o[4:20] != key_hash(pub):
        raise ValueError("key hash names another key")
    n = pub.key_size // 8
    pub.verify(o[20:20 + n], signed_data(src, dst, icmp[:off]), padding.PKCS1v15(),
               hashes.SHA1())


# ---- RtSolPr / PrRtAdv (RFC 5568 6.1, RFC 5269 4) -------------------------------------------


def rtsolpr(src, dst, mn_mac, cga_params, sign_key, enc_pub=None, at=0, ident=0x1234,
            nonce=None, ts=None, new_ap=None, signed=True, hash_key=None):
    """An IPv6 RtSolPr (no L2).  signed=False: no CGA/Timestamp/Nonce/Signature options."""
    icmp = struct.pack("!BBHBBH", 154, 0, 0, 2, 0, ident)
    icmp += opt_lla(4, mn_mac)
    icmp += opt_lla(1, new_ap or bytes.fromhex("0200000000aa"))
    if signed:
        icmp += opt_cga(cga_params)
        icmp += opt_timestamp(ts if ts is not None else now48())
        icmp += opt_nonce(nonce if nonce is not None else os.urandom(14))
    if enc_pub is not None:
        icmp += opt_hkreq(at, spki(enc_pub))
    if signed:
        icmp = sign_icmp(src, dst, icmp, sign_key, hash_key)
    else:
        icmp = finish_icmp(src, dst, icmp)
    return ip6_hdr(src, dst, 58, len(icmp)) + icmp


def parse_ip6(pkt):
    if len(pkt) < 40 or pkt[0] >> 4 != 6:
        raise ValueError("not IPv6")
    plen = struct.unpack("!H", pkt[4:6])[0]
    return {"nh": pkt[6], "hlim": pkt[7], "src": pkt[8:24], "dst": pkt[24:40],
            "payload": pkt[40:40 + plen]}


def prrtadv_key(pkt, router_pub, enc_key, nonce=None):
    """Check a PrRtAdv (IPv6): signature by the router's certified key, Nonce echo, then
    decrypt the Handover Key Reply (A11: ciphertext at offset 6).  Returns (at, lifetime,
    key) or None when the message carries no reply."""
    ip = parse_ip6(pkt)
    icmp = ip["payload"]
    if ip["nh"] != 58 or icmp[0] != 154 or icmp[4] != 3:
        raise ValueError("not a PrRtAdv")
    if l4_csum(ip["src"], ip["dst"], 58, icmp[:2] + b"\0\0" + icmp[4:]) != \
            struct.unpack("!H", icmp[2:4])[0]:
        raise ValueError("bad ICMPv6 checksum")
    verify_icmp(ip["src"], ip["dst"], icmp, 8, router_pub)
    opts = nd_options(icmp, 8)
    if nonce is not None:
        ns = [o for t, _, o in opts if t == 14]
        if not ns or ns[0][2:2 + len(nonce)] != nonce:
            raise ValueError("nonce not echoed")
    rep = [o for t, _, o in opts if t == 28]
    if not rep:
        return None
    o = rep[0]
    pad, at, life = o[2], o[3] >> 4, struct.unpack("!H", o[4:6])[0]
    enc = o[6:len(o) - pad]
    key = enc_key.decrypt(enc, padding.PKCS1v15())
    return at, life, key


def cps(src, dst, ident=0x4242, anchor_name_der=None):
    icmp = struct.pack("!BBHHH", 148, 0, 0, ident, 0xFFFF)
    if anchor_name_der is not None:
        icmp += _opt_trust_anchor(anchor_name_der)
    icmp = finish_icmp(src, dst, icmp)
    return ip6_hdr(src, dst, 58, len(icmp)) + icmp


def _opt_trust_anchor(name):
    # 0 Type=15 1 Length 2 Name Type (1 = DER X.501) 3 Pad Length 4.. Name
    total = 4 + len(name)
    ln = (total + 7) // 8
    pad = ln * 8 - total
    return bytes([15, ln, 1, pad]) + name + b"\0" * pad


def cpa_certs(pkt):
    """The certificates (DER) carried by a CPA (IPv6 packet)."""
    ip = parse_ip6(pkt)
    icmp = ip["payload"]
    if icmp[0] != 149:
        raise ValueError("not a CPA")
    out = []
    for t, _, o in nd_options(icmp, 12):
        if t == 16 and o[2] == 1:
            der = o[4:]
            ln = der[1]
            if ln & 0x80:
                n = ln & 0x7F
                ln = int.from_bytes(der[2:2 + n], "big") + 2 + n
            else:
                ln += 2
            out.append(der[:ln])
    return out


# ---- FBU (RFC 5568 6.2.2, BADF 6.4.5) -------------------------------------------------------

MAC_ALG = {0: (hashlib.sha1, 12), 1: (hashlib.sha256, 16)}


def fbu(pcoa, ncoa, par, key, at, seq, from_par_link=True, lifetime=10, forge=False,
        hao=None, flags=0xC0, spi=0, mh_lla=None):
    """An FBU (IPv6, no L2) with a Home Address option (A23) and a BADF (A3 long form, A20).
    From the PAR's link: source PCoA and an Alternate CoA option; from the NAR's: source NCoA.
    mh_lla: the MN's link-layer address in an MH-LLA option (RFC 5568 6.4.4: type 7, Length
    1 + address, Option-Code 2; no alignment).  MAC input (A2, A12): NCoA || PAR || the MH with
    checksum zero and the authenticator removed.  forge: a random authenticator."""
    hao = hao or pcoa
    alg, tlen = MAC_ALG[at]
    mh = bytearray(struct.pack("!BBBBHHBBH", 59, 0, 8, 0, 0, seq, flags, 0, lifetime))
    if from_par_link:
        mh += b"\x01\x00"  # PadN(0): Alt-CoA at 8n+6
        mh += bytes([3, 16]) + ncoa
    if mh_lla is not None:
        mh += bytes([7, 1 + len(mh_lla), 2]) + mh_lla
    # BADF (type 21) so that the MH ends right after the authenticator (A20): option header
    # 2 + SPI 4 + tag; pad before it to make the total a multiple of 8.
    badf_len = 2 + 4 + tlen
    pad = (-(len(mh) + badf_len)) % 8
    if pad == 1:
        mh += b"\x00"
    elif pad > 1:
        mh += bytes([1, pad - 2]) + b"\0" * (pad - 2)
    mh += bytes([21, 4 + tlen]) + struct.pack("!I", spi)
    mh[1] = (len(mh) + tlen) // 8 - 1
    mac_in = ncoa + par + bytes(mh)
    tag = os.urandom(tlen) if forge else hmac.new(key, mac_in, alg).digest()[:tlen]
    mh += tag
    mh[4:6] = struct.pack("!H", l4_csum(hao, par, 135, bytes(mh)))
    # Destination Options with the HAO at 8n+6: PadN(2)... RFC 3775: next hdr, len, PadN
    dopt = bytes([135, 2, 1, 2, 0, 0, 201, 16]) + hao
    src = pcoa if from_par_link else ncoa
    body = dopt + bytes(mh)
    return ip6_hdr(src, par, 60, len(body), hlim=64) + body, mac_in, tag


# ---- DPDK telemetry -------------------------------------------------------------------------


class Telemetry:
    def __init__(self, prefix, timeout=10.0):
        path = "/var/run/dpdk/%s/dpdk_telemetry.v2" % prefix
        end = time.time() + timeout
        while True:
            try:
                self.s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
                self.s.connect(path)
                break
            except OSError:
                self.s.close()
                if time.time() > end:
                    raise
                time.sleep(0.1)
        self.info = json.loads(self.s.recv(16384).decode())
        self.bufsz = int(self.info.get("max_output_len", 16384))

    def cmd(self, c):
        self.s.send(c.encode())
        return json.loads(self.s.recv(self.bufsz).decode())

    def stats(self):
        return self.cmd("/fmipgw/stats")["/fmipgw/stats"]

    def close(self):
        self.s.close()


# ---- self test against the published vectors ------------------------------------------------


def self_test(vectors_dir):
    d = json.load(open(os.path.join(vectors_dir, "reference.json")))
    keys = os.path.join(vectors_dir, "keys")
    mn1 = load_key(os.path.join(keys, "mn1.key.pem"))
    params = open(os.path.join(keys, "mn1.cga.params"), "rb").read()
    assert cga_params_pubkey_der(params) == spki(mn1.public_key())
    pcoa = socket.inet_pton(socket.AF_INET6, d["fbu"]["pcoa"])
    assert cga_address(params, 1) == pcoa, cga_address(params, 1).hex()
    assert key_hash(mn1.public_key()).hex() == d["send"]["rtsolpr_key_hash"]
    ref = bytes.fromhex(d["send"]["rtsolpr_ipv6"])
    ip = parse_ip6(ref)
    icmp = ip["payload"]
    sig_off = [o for t, o, _ in nd_options(icmp, 8) if t == 12][0]
    assert signed_data(ip["src"], ip["dst"], icmp[:sig_off]).hex() == \
        d["send"]["rtsolpr_signed_data"]
    # rebuild the whole RtSolPr from its parts: byte-exact (PKCS#1 v1.5 is deterministic)
    opts = nd_options(icmp, 8)
    nonce = [o for t, _, o in opts if t == 14][0][2:]
    ts = struct.unpack("!Q", [o for t, _, o in opts if t == 13][0][8:16])[0]
    mn2 = load_key(os.path.join(keys, "mn2.key.pem"))
    hk_at = [o for t, _, o in opts if t == 27][0][3] >> 4
    rebuilt = rtsolpr(ip["src"], ip["dst"], bytes.fromhex("020000000001"), params, mn1,
                      mn2.public_key(), hk_at, struct.unpack("!H", icmp[6:8])[0], nonce, ts)
    assert rebuilt == ref, "rtsolpr rebuild differs"
    # PrRtAdv: decrypt the reference reply with mn2
    ar1 = load_key(os.path.join(keys, "ar1.key.pem"))
    at, life, key = prrtadv_key(bytes.fromhex(d["send"]["prrtadv_ipv6"]), ar1.public_key(), mn2,
                                nonce)
    assert key.hex() == d["send"]["handover_key"] and life == 43200
    # FBUs, AT 0, from both links
    par = socket.inet_pton(socket.AF_INET6, d["fbu"]["par"])
    ncoa = socket.inet_pton(socket.AF_INET6, d["fbu"]["ncoa"])
    for link, par_link in (("from_par_link", True), ("from_nar_link", False)):
        pkt, mac_in, tag = fbu(pcoa, ncoa, par, bytes.fromhex(d["fbu"]["at0"]["key"]), 0, 1
                               if par_link else 2, par_link)
        assert mac_in.hex() == d["fbu"]["at0"][link + "_mac_input"], link
        assert tag.hex() == d["fbu"]["at0"][link + "_authenticator"], link
        assert pkt.hex() == d["fbu"]["at0"][link + "_ipv6"], link
    for link, par_link in (("from_par_link", True), ("from_nar_link", False)):
        ref = bytes.fromhex(d["fbu"]["at1"][link + "_ipv6"])
        seq = struct.unpack("!H", ref[64 + 6:64 + 8])[0]
        pkt, _, _ = fbu(pcoa, ncoa, par, bytes.fromhex(d["fbu"]["at1"]["key"]), 1, seq,
                        par_link)
        assert pkt.hex() == d["fbu"]["at1"][link + "_ipv6"], link
    return True


if __name__ == "__main__":
    import sys
    self_test(sys.argv[1])
    print("fmippeer self-test: ok")
