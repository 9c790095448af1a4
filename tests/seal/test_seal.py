#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""lib/seal's file format against an independent implementation (python3-cryptography).

usage: test_seal.py SEAL_TOOL

1. seal_tool seals a buffer; this script parses the file by the layout documented in
   lib/seal/seal.h, checks every field (magic, version, flags, created, KEK id =
   HMAC-SHA-256(KEK, "fmipgw-seal kek-id v1")[:8], label, nonce, length) and decrypts it with
   AESGCM(KEK) using the header as additional data.
2. This script seals a buffer by the same layout; seal_tool opens it and returns the plaintext.
3. A file this script seals with a wrong tag, another label, another KEK id is refused with the
   documented codes (TAMPERED 13, FOREIGN 11, WRONG_KEK 12).
"""
import hashlib
import hmac
import os
import struct
import subprocess
import sys
import tempfile

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

# enum seal_err order (lib/seal/seal.h SEAL_ERRORS)
E = {n: i for i, n in enumerate(
    "OK ARG NOMEM CRYPTO IO KEK_FILE KEK_MODE KEK_FORMAT NOT_SEALED VERSION TRUNCATED "
    "FOREIGN WRONG_KEK TAMPERED TOO_LARGE".split())}

failures = 0


def check(cond, what):
    global failures
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures += 1


def kek_id(kek):
    return hmac.new(kek, b"fmipgw-seal kek-id v1", hashlib.sha256).digest()[:8]


def seal_py(kek, label, plain, created, nonce=None, tag_flip=False, kid=None):
    nonce = nonce or os.urandom(12)
    hdr = (b"FMIPSEAL" + struct.pack(">HHQ", 1, 0, created) + (kid or kek_id(kek)) +
           bytes([len(label)]) + label + nonce + struct.pack(">Q", len(plain)))
    ct = AESGCM(kek).encrypt(nonce, plain, hdr)  # ciphertext || 16-octet tag
    if tag_flip:
        ct = ct[:-1] + bytes([ct[-1] ^ 1])
    return hdr + ct


def parse(blob):
    f = {}
    f["magic"], f["version"], f["flags"], f["created"] = blob[:8], *struct.unpack(">HHQ", blob[8:20])
    f["kek_id"] = blob[20:28]
    n = blob[28]
    f["label"] = blob[29:29 + n]
    f["nonce"] = blob[29 + n:41 + n]
    (f["len"],) = struct.unpack(">Q", blob[41 + n:49 + n])
    f["hdr"] = blob[:49 + n]
    f["body"] = blob[49 + n:]
    return f


def main():
    tool = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix="fmipgw-seal-py.")
    kek = os.urandom(32)
    kpath = os.path.join(tmp, "kek")
    fd = os.open(kpath, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, kek)
    os.close(fd)
    plain = os.urandom(1000)
    label = b"gw-ar1 conf 2003::1"
    sealed = os.path.join(tmp, "keys.sealed")

    # 1. C seals, Python reads
    r = subprocess.run([tool, "seal", kpath, sealed, label.decode(), "1712345678"], input=plain,
                       capture_output=True)
    check(r.returncode == 0, "seal_tool seal exits 0 (%s)" % r.stderr.decode().strip())
    blob = open(sealed, "rb").read()
    check(os.stat(sealed).st_mode & 0o7777 == 0o600, "sealed file mode 0600")
    f = parse(blob)
    check(f["magic"] == b"FMIPSEAL", "magic FMIPSEAL")
    check(f["version"] == 1 and f["flags"] == 0, "version 1, flags 0")
    check(f["created"] == 1712345678, "created = the time given")
    check(f["kek_id"] == kek_id(kek), "KEK id = HMAC-SHA-256(KEK, label)[:8]")
    check(f["label"] == label, "label")
    check(f["len"] == len(plain), "plaintext length")
    check(len(f["body"]) == len(plain) + 16, "ciphertext + 16-octet tag, nothing after")
    try:
        got = AESGCM(kek).decrypt(f["nonce"], f["body"], f["hdr"])
    except Exception as e:  # InvalidTag
        got = repr(e).encode()
    check(got == plain, "python3-cryptography AES-256-GCM opens it with the header as AAD")

    # 2. Python seals, C reads
    blob = seal_py(kek, label, plain, 1600000000)
    open(sealed, "wb").write(blob)
    r = subprocess.run([tool, "open", kpath, sealed, label.decode()], capture_output=True)
    check(r.returncode == 0 and r.stdout == plain, "seal_tool opens a file sealed in Python")
    check(b"created 1600000000" in r.stderr, "and reads its creation time")
    blob = seal_py(kek, label, b"", 1)
    open(sealed, "wb").write(blob)
    r = subprocess.run([tool, "open", kpath, sealed, label.decode()], capture_output=True)
    check(r.returncode == 0 and r.stdout == b"", "an empty buffer round-trips")

    # 3. refusals of files sealed in Python
    cases = [
        ("tag flipped", seal_py(kek, label, plain, 1, tag_flip=True), "TAMPERED"),
        ("another label", seal_py(kek, b"gw-ar2", plain, 1), "FOREIGN"),
        ("another KEK id", seal_py(kek, label, plain, 1, kid=b"\0" * 8), "WRONG_KEK"),
        ("another KEK", seal_py(os.urandom(32), label, plain, 1), "WRONG_KEK"),
        ("version 2", b"FMIPSEAL\x00\x02" + seal_py(kek, label, plain, 1)[10:], "VERSION"),
    ]
    for what, b, code in cases:
        open(sealed, "wb").write(b)
        r = subprocess.run([tool, "open", kpath, sealed, label.decode()], capture_output=True)
        check(r.returncode == E[code] and r.stdout == b"",
              "%s: refused with %s (exit %d: %s)" % (what, code, r.returncode,
                                                      r.stderr.decode().strip()))
    os.chmod(kpath, 0o644)
    r = subprocess.run([tool, "open", kpath, sealed, label.decode()], capture_output=True)
    check(r.returncode == E["KEK_MODE"] and b"chmod 600" in r.stderr,
          "KEK file mode 0644 refused with the fix in the message")
    subprocess.run(["rm", "-rf", tmp])
    print("%d failure(s)" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
