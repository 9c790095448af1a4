#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""conf/make-credentials.sh (issue 13 item 3): modes, and where each private key goes.

usage: test_make_credentials.py MAKE_CREDENTIALS_SH FMIPCTL

Asserts, for the default invocation (as every caller in the repository uses it), --ca-dir,
--no-ca-keys and --reuse-ta (CA directory, earlier output directory, the older flat layout):
the output directory is 0700 (an existing 0755 one is tightened), router.key.pem is 0600 and
the only private key in it, the CA keys are 0600 in a 0700 CA directory (or nowhere), the files
the gateway reads are there, the router path verifies with `openssl verify` against the trust
anchor, and each kept CA key is the one that signed (its public key is in the certificate).
"""
import os
import shutil
import stat
import subprocess
import sys
import tempfile

from cryptography import x509
from cryptography.hazmat.primitives import serialization

GATEWAY_FILES = ["router.key.pem", "router.cga.params", "router.cga", "router.chain.pem",
                 "trust-anchor.pem", "router.cert.pem", "ca.cert.pem"]
failures = 0


def check(cond, what):
    global failures
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures += 1


def mode(p):
    return stat.S_IMODE(os.stat(p).st_mode)


def run(script, fmipctl, out, *extra):
    return subprocess.run(["sh", script, "--out", out, "--prefix", "2003::/64", "--bits", "1024",
                           "--fmipctl", fmipctl] + list(extra), capture_output=True, text=True)


def private_keys_under(d):
    """Every file under d that holds a private key."""
    found = []
    for root, _, files in os.walk(d):
        for f in files:
            p = os.path.join(root, f)
            with open(p, "rb") as fh:
                if b"PRIVATE KEY" in fh.read():
                    found.append(os.path.relpath(p, d))
    return sorted(found)


def pubkey_of_key(p):
    k = serialization.load_pem_private_key(open(p, "rb").read(), None)
    return k.public_key().public_bytes(serialization.Encoding.DER,
                                       serialization.PublicFormat.SubjectPublicKeyInfo)


def pubkey_of_cert(p):
    c = x509.load_pem_x509_certificate(open(p, "rb").read())
    return c.public_key().public_bytes(serialization.Encoding.DER,
                                       serialization.PublicFormat.SubjectPublicKeyInfo)


def verifies(anchor, d):
    r = subprocess.run(["openssl", "verify", "-x509_strict", "-CAfile", anchor, "-untrusted",
                        os.path.join(d, "ca.cert.pem"), os.path.join(d, "router.cert.pem")],
                       capture_output=True, text=True)
    return r.returncode == 0


def gateway_dir_ok(out, label):
    check(mode(out) == 0o700, "%s: output directory is 0700 (%o)" % (label, mode(out)))
    check(all(os.path.isfile(os.path.join(out, f)) for f in GATEWAY_FILES),
          "%s: the gateway's files are in the output directory" % label)
    check(mode(os.path.join(out, "router.key.pem")) == 0o600, "%s: router.key.pem is 0600" % label)
    top = [f for f in private_keys_under(out) if os.sep not in f]
    check(top == ["router.key.pem"], "%s: the router key is the only private key beside the "
          "gateway's files (%s)" % (label, top))
    check(not [f for f in os.listdir(out) if f.startswith(".ca-work")],
          "%s: no scratch directory left" % label)


def ca_dir_ok(ca, anchor_cert, ca_cert, label):
    check(mode(ca) == 0o700, "%s: CA directory is 0700 (%o)" % (label, mode(ca)))
    for k in ("ta.key.pem", "ca.key.pem"):
        p = os.path.join(ca, k)
        check(os.path.isfile(p) and mode(p) == 0o600, "%s: %s is there, mode 0600" % (label, k))
    check(pubkey_of_key(os.path.join(ca, "ta.key.pem")) == pubkey_of_cert(anchor_cert),
          "%s: ta.key.pem is the trust anchor's key" % label)
    check(pubkey_of_key(os.path.join(ca, "ca.key.pem")) == pubkey_of_cert(ca_cert),
          "%s: ca.key.pem is the intermediate's key" % label)
    check(os.path.isfile(os.path.join(ca, "trust-anchor.pem")),
          "%s: the CA directory holds the anchor certificate" % label)


def main():
    script, fmipctl = sys.argv[1], os.path.abspath(sys.argv[2])
    tmp = tempfile.mkdtemp(prefix="fmipgw-mkcred.")
    try:
        # 1. default, into an existing 0755 directory
        a = os.path.join(tmp, "a")
        os.mkdir(a)
        os.chmod(a, 0o755)
        r = run(script, fmipctl, a)
        check(r.returncode == 0, "default invocation exits 0 (%s)" % r.stderr.strip()[-200:])
        gateway_dir_ok(a, "default")
        check("0700" in r.stderr, "the tightened mode is reported")
        ca_dir_ok(os.path.join(a, "ca-private"), os.path.join(a, "trust-anchor.pem"),
                  os.path.join(a, "ca.cert.pem"), "default")
        check(private_keys_under(a) == ["ca-private/ca.key.pem", "ca-private/ta.key.pem",
                                        "router.key.pem"], "default: no other private key")
        check(verifies(os.path.join(a, "trust-anchor.pem"), a), "default: the path verifies")

        # 2. --ca-dir elsewhere; a new output directory is created 0700
        b, bca = os.path.join(tmp, "new", "b"), os.path.join(tmp, "offline-ca")
        r = run(script, fmipctl, b, "--ca-dir", bca)
        check(r.returncode == 0, "--ca-dir exits 0")
        gateway_dir_ok(b, "--ca-dir")
        check(private_keys_under(b) == ["router.key.pem"], "--ca-dir: no CA key under OUT")
        ca_dir_ok(bca, os.path.join(b, "trust-anchor.pem"), os.path.join(b, "ca.cert.pem"),
                  "--ca-dir")

        # 3. --no-ca-keys
        c = os.path.join(tmp, "c")
        r = run(script, fmipctl, c, "--no-ca-keys")
        check(r.returncode == 0, "--no-ca-keys exits 0")
        gateway_dir_ok(c, "--no-ca-keys")
        check(private_keys_under(c) == ["router.key.pem"] and
              not os.path.exists(os.path.join(c, "ca-private")), "--no-ca-keys: no CA key kept")
        check(verifies(os.path.join(c, "trust-anchor.pem"), c), "--no-ca-keys: the path verifies")

        # 4. --reuse-ta: a CA directory, an earlier output directory, the old flat layout
        flat = os.path.join(tmp, "flat")
        os.mkdir(flat)
        shutil.copy(os.path.join(a, "trust-anchor.pem"), flat)
        shutil.copy(os.path.join(a, "ca-private", "ta.key.pem"), flat)
        for label, src, anchor in (("CA directory", bca, os.path.join(b, "trust-anchor.pem")),
                                   ("earlier OUT", a, os.path.join(a, "trust-anchor.pem")),
                                   ("old layout", flat, os.path.join(a, "trust-anchor.pem"))):
            d = os.path.join(tmp, "reuse-" + label.replace(" ", "-"))
            r = run(script, fmipctl, d, "--reuse-ta", src)
            check(r.returncode == 0, "--reuse-ta %s exits 0 (%s)" % (label, r.stderr.strip()))
            gateway_dir_ok(d, "--reuse-ta " + label)
            check(open(os.path.join(d, "trust-anchor.pem"), "rb").read() ==
                  open(anchor, "rb").read(), "--reuse-ta %s: the same anchor" % label)
            check(verifies(anchor, d), "--reuse-ta %s: the new path verifies to it" % label)
        r = run(script, fmipctl, os.path.join(tmp, "x"), "--reuse-ta", c)
        check(r.returncode == 2 and "ta.key.pem" in r.stderr,
              "--reuse-ta of a directory without the anchor's key is refused")
    finally:
        shutil.rmtree(tmp)
    print("%d failure(s)" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
