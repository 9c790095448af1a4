#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The demo behind scripts/gw-demo.sh: fmipgw on an embedded default configuration (throw-away
credentials, --no-huge, a net_tap port in a network namespace) and a peer playing N mobile
nodes (fresh RSA-1024 CGAs, Sec 0) that provision handover keys (AT 0 and AT 1), then send
valid, forged, replayed and unknown-PCoA FBUs.  Prints a summary from the peer's view and from
the gateway's telemetry and exits 0 when both agree.
usage: gw_demo.py GW FMIPCTL MAKE_CREDENTIALS_SH [N_MOBILE_NODES]
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography import x509

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fmippeer as P  # noqa: E402
from test_gw_e2e import CONFIG, Gw, MN_MAC, PAR, A, tap_in_netns  # noqa: E402


def new_mn(prefix8):
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    params = os.urandom(16) + prefix8 + b"\0" + P.spki(key.public_key())
    return key, params, P.cga_address(params, 0)


def main():
    gw_bin, fmipctl, mkcred = sys.argv[1:4]
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 16
    tag = str(os.getpid())
    prefix, ns, ifname = "fmipgw_demo_" + tag, "fmipgw_demo_" + tag, "fmgwd" + tag[-6:]
    tmp = tempfile.mkdtemp(prefix="fmipgw-demo-")
    print("== credentials (conf/make-credentials.sh, prefix 2003::/64)", flush=True)
    cred = os.path.join(tmp, "cred")
    subprocess.run(["sh", mkcred, "--out", cred, "--prefix", "2003::/64", "--fmipctl", fmipctl],
                   check=True, stdout=subprocess.DEVNULL)
    conf = os.path.join(tmp, "gw.conf")
    open(conf, "w").write(CONFIG.format(d=cred, hk_lifetime=43200, rate=1000, burst=64))
    router_pub = x509.load_pem_x509_certificate(
        open(cred + "/router.cert.pem", "rb").read()).public_key()
    router_ll = A(open(cred + "/router.cga").read().strip())
    print("== %d mobile nodes: RSA-1024 CGAs in 2003::/64" % n, flush=True)
    mns = [new_mn(A("2003::")[:8]) for _ in range(n)]
    enc = rsa.generate_private_key(public_exponent=65537, key_size=1024)

    print("== fmipgw --no-huge -l 0-1 --vdev net_tap0 (netns %s)" % ns, flush=True)
    gw = Gw(gw_bin, conf, prefix, ifname)
    subprocess.run(["ip", "netns", "add", ns], check=True)
    ok = True
    try:
        link = tap_in_netns(ifname, ns)
        keys, lat = [], []
        for i, (k, params, cga) in enumerate(mns):
            at = i % 2
            nonce = os.urandom(14)
            pkt = P.rtsolpr(cga, P.ALL_ROUTERS, MN_MAC, params, k, enc.public_key(), at,
                            nonce=nonce)
            t0 = time.perf_counter()
            link.send(pkt, P.mcast_mac(P.ALL_ROUTERS))
            _, rep = link.recv(lambda ip, c=cga: ip[6] == 58 and ip[40] == 154 and
                               ip[44] == 3 and ip[24:40] == c)
            t1 = time.perf_counter()
            res = P.prrtadv_key(rep, router_pub, enc, nonce) if rep else None
            if res is None or rep[8:24] != router_ll:
                print("   MN %2d: no key" % i)
                ok = False
                continue
            lat.append((t1 - t0) * 1e6)
            keys.append((cga, res[0], res[2]))
        print("== provisioned %d/%d keys (peer decrypted each; PrRtAdv signature verified)"
              % (len(keys), n), flush=True)
        sent = {"valid": 0, "forged": 0, "replayed": 0, "unknown": 0}
        for j, (cga, at, key) in enumerate(keys):
            ncoa = A("2003::2:0:0:%x" % (j + 1))
            for seq in (1, 2, 3):
                f, _, _ = P.fbu(cga, ncoa, PAR, key, at, seq, from_par_link=(seq != 2))
                link.send(f)
                sent["valid"] += 1
            link.send(f)  # replay of seq 3
            sent["replayed"] += 1
            f, _, _ = P.fbu(cga, ncoa, PAR, key, at, 4, forge=True)
            link.send(f)
            sent["forged"] += 1
            f, _, _ = P.fbu(A("2003::dead:%x" % (j + 1)), ncoa, PAR, key, at, 1)
            link.send(f)
            sent["unknown"] += 1
        time.sleep(0.5)
        s = gw.stats()
        kt = gw.tel.cmd("/fmipgw/keys")["/fmipgw/keys"]
        print()
        print("  fmipgw summary (telemetry /fmipgw/stats, /fmipgw/keys)")
        print("  %-44s %8s %8s" % ("", "peer", "gateway"))
        rows = [("keys provisioned", len(keys), s["keys_provisioned"]),
                ("  live in the table (AT 0 / AT 1)", "", "%d (%d/%d)" % (
                    kt["live"], kt["per_at"].get("at0", 0), kt["per_at"].get("at1", 0))),
                ("FBUs accepted", sent["valid"], s["fbu_accepted"]),
                ("FBUs rejected: forged (bad MAC)", sent["forged"], s["drop_fbu_bad_mac"]),
                ("FBUs rejected: replayed (stale sequence)", sent["replayed"],
                 s["drop_fbu_stale_seq"]),
                ("FBUs rejected: unknown PCoA (no key)", sent["unknown"], s["drop_fbu_no_key"]),
                ("FBUs rejected: expired key", 0, s["drop_fbu_expired"]),
                ("FBUs rejected: malformed", 0, s["drop_malformed"])]
        for name, a, b in rows:
            print("  %-44s %8s %8s" % (name, a, b))
            if a != "" and a != b:
                ok = False
        if lat:
            lat.sort()
            print("  provisioning latency, peer round trip (us): p50 %.0f  p99 %.0f  max %.0f"
                  % (statistics.median(lat), lat[min(len(lat) - 1, int(len(lat) * 0.99))],
                     lat[-1]))
        print("  provisioning latency, gateway RX->TX (us):   p50 %d  p99 %d  max %d"
              % (s["prov_latency_p50_us"], s["prov_latency_p99_us"], s["prov_latency_max_us"]))
        rc = gw.stop()
        print("  fmipgw stopped with SIGTERM: exit status %s" % rc)
        ok = ok and rc == 0
    finally:
        if gw.p.poll() is None:
            gw.p.kill()
        subprocess.run(["ip", "netns", "del", ns])
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree("/var/run/dpdk/" + prefix, ignore_errors=True)
    print("== demo %s" % ("OK: the gateway's counters match what the peer sent" if ok else
                          "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
