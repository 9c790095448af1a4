# SPDX-License-Identifier: BSD-3-Clause
"""The gateway's key files, written and read independently of its C code (python3-cryptography):

  - lib/seal's container (lib/seal/seal.h): "FMIPSEAL", version, flags, created, KEK id =
    HMAC-SHA-256(KEK, "fmipgw-seal kek-id v1")[:8], label, nonce, length, AES-256-GCM with the
    header as additional data;
  - the key table's plaintext inside it (app/fmipgw/cp/snap_int.h, docs/operations.md "Keys
    across restarts"): a 48-octet header (magic "FMIPKEYS", version 1, flags 0, count, wall
    clock ns, boot clock ns, boot id) and 86-octet entries (cga, pk_sha1, at, key_len, key padded
    to 32, HK-LIFETIME s, left of HK-LIFETIME ms, left of its use ms, last sequence);
  - the label: "fmipgw-keytab/1 router=<router address> key=<RFC 3971 Key Hash of the router's
    key>";
  - the key-import file of [bench] key_import (app/fmipgw/config/keyimp.h, the format fmip-mn's
    key export writes): "fmip-mn-keys 1", then "cga at key lifetime pk_sha1" lines.
"""
import hashlib
import hmac
import os
import socket
import struct
import time

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ENTRY = struct.Struct(">16s20sBB32sIIII")
HDR = struct.Struct(">8sHHIQQ16s")
assert ENTRY.size == 86 and HDR.size == 48


def kek_id(kek):
    return hmac.new(kek, b"fmipgw-seal kek-id v1", hashlib.sha256).digest()[:8]


def seal(kek, label, plain, created=None, kid=None):
    label = label.encode() if isinstance(label, str) else label
    nonce = os.urandom(12)
    hdr = (b"FMIPSEAL" + struct.pack(">HHQ", 1, 0, int(created or time.time())) +
           (kid or kek_id(kek)) + bytes([len(label)]) + label + nonce +
           struct.pack(">Q", len(plain)))
    return hdr + AESGCM(kek).encrypt(nonce, plain, hdr)


def unseal(kek, blob):
    """(label, created, plaintext); raises on any mismatch."""
    if blob[:8] != b"FMIPSEAL":
        raise ValueError("not sealed")
    version, flags, created = struct.unpack(">HHQ", blob[8:20])
    if (version, flags) != (1, 0) or blob[20:28] != kek_id(kek):
        raise ValueError("version or KEK id")
    n = blob[28]
    label = blob[29:29 + n]
    nonce = blob[29 + n:41 + n]
    (ln,) = struct.unpack(">Q", blob[41 + n:49 + n])
    hdr = blob[:49 + n]
    plain = AESGCM(kek).decrypt(nonce, blob[49 + n:], hdr)
    if len(plain) != ln:
        raise ValueError("length")
    return label.decode(), created, plain


def boot_id():
    return bytes.fromhex(open("/proc/sys/kernel/random/boot_id").read().strip().replace("-", ""))


def clocks():
    """(wall ns, boot ns) now."""
    return time.clock_gettime_ns(time.CLOCK_REALTIME), time.clock_gettime_ns(time.CLOCK_BOOTTIME)


def keytab(entries, wall_ns, boot_ns, bid, magic=b"FMIPKEYS", version=1):
    """entries: dicts cga, pk_sha1, at, key, hk_life_s, hk_rem_ms, rem_ms, last_seq."""
    out = HDR.pack(magic, version, 0, len(entries), wall_ns, boot_ns, bid)
    for e in entries:
        out += ENTRY.pack(e["cga"], e["pk_sha1"], e["at"], len(e["key"]),
                          e["key"].ljust(32, b"\0"), e["hk_life_s"], e["hk_rem_ms"],
                          e["rem_ms"], e["last_seq"])
    return out


def parse_keytab(plain):
    magic, version, flags, count, wall, boot, bid = HDR.unpack(plain[:48])
    if magic != b"FMIPKEYS" or version != 1 or flags != 0 or len(plain) != 48 + 86 * count:
        raise ValueError("not a key table")
    ents = []
    for i in range(count):
        cga, pk, at, kl, key, life, hk_rem, rem, seq = ENTRY.unpack_from(plain, 48 + 86 * i)
        if key[kl:] != bytes(32 - kl):
            raise ValueError("key padding")
        ents.append({"cga": cga, "pk_sha1": pk, "at": at, "key": key[:kl], "hk_life_s": life,
                     "hk_rem_ms": hk_rem, "rem_ms": rem, "last_seq": seq})
    return {"wall_ns": wall, "boot_ns": boot, "boot_id": bid, "entries": ents}


def label(router_addr, router_pub_key_hash):
    return "fmipgw-keytab/1 router=%s key=%s" % (
        socket.inet_ntop(socket.AF_INET6, router_addr), router_pub_key_hash.hex())


def write_import(path, records, mode=0o600, header="fmip-mn-keys 1"):
    """records: (cga bytes, at, key bytes, lifetime, pk_sha1 bytes); lines as fmip-mn writes
    them."""
    lines = [header, "# cga at key lifetime pk_sha1"]
    for cga, at, key, life, pk in records:
        lines.append("%s %d %s %d %s" % (socket.inet_ntop(socket.AF_INET6, cga), at, key.hex(),
                                         life, pk.hex()))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    os.write(fd, ("\n".join(lines) + "\n").encode())
    os.close(fd)
    os.chmod(path, mode)
