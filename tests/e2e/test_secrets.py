#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Secrets out of core dumps (issue 13, point 2), on the real gateway over net_tap:

  - [security] allow_core_dumps = false (the default): a SIGSEGV with an unlimited core limit
    writes no core (PR_SET_DUMPABLE 0);
  - allow_core_dumps = true: the same SIGSEGV writes a core (so the test can see one), and
    after two handover keys were provisioned (AT 0 and AT 1) the core holds neither key, nor
    the router's RSA private exponent or primes — key records and MAC states live on
    MADV_DONTDUMP pages, the router key in OpenSSL's secure heap.

usage: test_secrets.py GW_BINARY FMIPCTL MAKE_CREDENTIALS_SH VECTORS_DIR
"""
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fmippeer as P  # noqa: E402
import gwrun as R  # noqa: E402
import test_gw_e2e as E  # noqa: E402  (CONFIG, tap_in_netns, provision)
from cryptography import x509  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402

check = R.check


def start(run, gw_bin, conf, prefix, ifname, cwd):
    """The gateway with an unlimited core size, its cwd where a core would go (no telemetry
    client: nothing but the gateway's own state in the core)."""
    def limits():
        resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY,
                                                  resource.RLIM_INFINITY))
    return run.gateway(gw_bin, conf, prefix, ifname, mem="256", cwd=cwd, preexec_fn=limits,
                       telemetry=False).p


def crash(p):
    p.send_signal(signal.SIGSEGV)
    try:
        p.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
    return p.returncode


def where(core, off):
    """The virtual address and segment of file offset off in an ELF core (for the message)."""
    import struct
    phoff, = struct.unpack_from("<Q", core, 32)
    phentsize, phnum = struct.unpack_from("<HH", core, 54)
    for i in range(phnum):
        t, flags, o, va, _, fsz, msz, _ = struct.unpack_from("<IIQQQQQQ", core,
                                                             phoff + i * phentsize)
        if t == 1 and o <= off < o + fsz:
            return "0x%x (segment 0x%x+0x%x)" % (va + off - o, va, msz)
    return "offset %d" % off


def cores(d):
    return [os.path.join(d, f) for f in os.listdir(d) if f.startswith("core")]


def scenario(gw_bin, mkcred, fmipctl, vectors, allow, tmp):
    with R.Run("secrets", tmp=tmp) as run:
        scenario_in(run, gw_bin, mkcred, fmipctl, vectors, allow)


def scenario_in(run, gw_bin, mkcred, fmipctl, vectors, allow):
    tag = "%d%d" % (os.getpid() % 10000, allow)
    prefix, ns, ifname = "fmipgw_sec_" + tag, "fmipgw_sec_" + tag, "fsec" + tag
    cred = run.credentials(mkcred, fmipctl)
    conf = run.write("gw%d.conf" % allow,
                     E.CONFIG.format(d=cred, hk_lifetime=43200, rate=1000, burst=64) +
                     "[security]\nallow_core_dumps = %s\n" % ("true" if allow else "false"))
    cwd = run.path("cwd%d" % allow)
    os.mkdir(cwd)
    keys = os.path.join(vectors, "keys")
    router_pub = x509.load_pem_x509_certificate(
        open(cred + "/router.cert.pem", "rb").read()).public_key()
    router_ll = E.A(open(cred + "/router.cga").read().strip())
    priv = serialization.load_pem_private_key(open(cred + "/router.key.pem", "rb").read(), None)
    pn = priv.private_numbers()
    secrets = {}
    for name, v in (("d", pn.d), ("p", pn.p), ("q", pn.q)):
        n = (v.bit_length() + 7) // 8
        secrets["router %s (big-endian)" % name] = v.to_bytes(n, "big")
        # OpenSSL's BIGNUMs: 64-bit limbs, least significant first, i.e. little-endian bytes
        secrets["router %s (as a BIGNUM)" % name] = v.to_bytes(n, "little")
    p = start(run, gw_bin, conf, prefix, ifname, cwd)
    run.netns(ns)
    link = E.tap_in_netns(ifname, ns)
    mn1 = P.load_key(os.path.join(keys, "mn1.key.pem"))
    mn2 = P.load_key(os.path.join(keys, "mn2.key.pem"))
    p1 = open(os.path.join(keys, "mn1.cga.params"), "rb").read()
    p2 = open(os.path.join(keys, "mn2.cga.params"), "rb").read()
    for at, (params, sk) in enumerate(((p1, mn1), (p2, mn2))):
        res, _, _ = E.provision(link, None, P.cga_address(params, 1), params, sk, mn2, at,
                                router_pub, router_ll)
        check(res is not None and len(res[2]) == (20 if at == 0 else 32),
              "allow_core_dumps = %s: AT %d key provisioned" % (allow, at))
        if res is not None:
            secrets["handover key AT %d" % at] = res[2]
    rc = crash(p)
    found = cores(cwd)
    if not allow:
        check(rc == -signal.SIGSEGV and not found,
              "allow_core_dumps = false: SIGSEGV, no core written (rc %s, %s)" % (rc, found))
        return
    check(rc == -signal.SIGSEGV and len(found) == 1,
          "allow_core_dumps = true: SIGSEGV wrote a core (%s)" % found)
    if found:
        data = open(found[0], "rb").read()
        print("core: %d MB" % (len(data) >> 20), flush=True)
        for what, b in secrets.items():
            off = data.find(b)
            check(off < 0, "the core holds no %s (%d octets)%s" % (
                what, len(b), "" if off < 0 else ": at " + where(data, off)))


def main():
    gw_bin, fmipctl, mkcred, vectors = [os.path.abspath(a) for a in sys.argv[1:5]]
    if open("/proc/sys/kernel/core_pattern").read().strip() != "core":
        # where the kernel writes cores is the host's choice: the check needs plain files
        print("core_pattern is not 'core': cannot look for the core file")
        return 1
    tmp = tempfile.mkdtemp(prefix="fmipgw-secrets-")
    try:
        scenario(gw_bin, mkcred, fmipctl, vectors, False, tmp)
        scenario(gw_bin, mkcred, fmipctl, vectors, True, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return R.verdict()


if __name__ == "__main__":
    sys.exit(main())
