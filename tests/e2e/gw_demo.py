#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The demo behind scripts/gw-demo.sh: fmipgw on an embedded default configuration (throw-away
credentials, --no-huge, a net_tap port in a network namespace) and fmip-mn playing N mobile
nodes (fresh RSA-1024 CGAs, Sec 0) on an af_packet port over that TAP: they fetch the router's
certification path (CPS/CPA), provision handover keys (AT 0 and AT 1), hand over (FBUs from the
PAR's and the NAR's link, each FBack verified with the node's key, then back at the PAR), send
data to their PCoAs (tunnelled by the gateway to their NCoAs) and reverse-tunnelled data, and
forged, replayed and unknown-PCoA FBUs.
Prints what fmip-mn sent beside what the gateway counted (telemetry) and the provisioning
latency from both sides; exits 0 when every gateway counter is what fmip-mn's report implies
(tests/fmip-mn/mnlive.py).  The e2e tests keep the independent Python peer (fmippeer.py).
usage: gw_demo.py GW FMIPCTL FMIP_MN MAKE_CREDENTIALS_SH [N_MOBILE_NODES]
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "fmip-mn"))
import mnlive as L  # noqa: E402
from test_gw_e2e import CONFIG  # noqa: E402


def summary(rep, d, kt, s):
    tx, rx = rep["tx"], rep["rx"]
    rows = [("keys provisioned", rx["prrtadv_key_new"], d["keys_provisioned"]),
            ("  released by returns (A13); live (AT0/AT1)", tx["fbu_return"],
             "%d; %d (%d/%d)" % (d["keys_released"], kt["live"], kt["per_at"].get("at0", 0),
                                 kt["per_at"].get("at1", 0))),
            ("CPS answered (router path, CPA)", tx["cps"], d["cps_rx"]),
            ("FBUs accepted (PAR link, NAR link, returns)",
             tx["fbu_par"] + tx["fbu_nar"] + tx["fbu_return"], d["fbu_accepted"]),
            ("FBUs rejected: forged (bad MAC)", tx["fbu_forged"], d["drop_fbu_bad_mac"]),
            ("FBUs rejected: replayed (stale sequence)", tx["fbu_replayed"],
             d["drop_fbu_stale_seq"]),
            ("FBUs rejected: unknown PCoA (no key)", tx["fbu_unknown"], d["drop_fbu_no_key"]),
            ("FBUs rejected: expired key", 0, d["drop_fbu_expired"]),
            ("FBacks verified + old-link copies; sent",
             "%d+%d" % (rx["fback_ok"], rx["fback_copy"]), d["fback_sent_0"]),
            ("data to PCoAs tunnelled to the NCoAs", rx["data_tunnel_ok"], d["tun_encap"]),
            ("reverse-tunnelled data decapsulated", rx["reverse_ok"], d["tun_decap"]),
            ("frames (fmip-mn sent, the gateway received)", tx["frames"], d["rx_packets"])]
    print()
    print("  fmipgw summary (telemetry /fmipgw/stats, /fmipgw/keys) beside fmip-mn's report")
    print("  %-46s %8s %8s" % ("", "fmip-mn", "gateway"))
    for name, a, b in rows:
        print("  %-46s %8s %8s" % (name, a, b))
    p = rep["latency_us"]["provisioning"]
    print("  provisioning latency, fmip-mn RtSolPr -> key (us): p50 %d  p90 %d  p99 %d  max %d"
          % (p["p50"], p["p90"], p["p99"], p["max"]))
    print("  provisioning latency, gateway RX -> TX (us):       p50 %d  p99 %d  max %d"
          % (s["prov_latency_p50_us"], s["prov_latency_p99_us"], s["prov_latency_max_us"]))


def demo(ctx, mn, n):
    """fmip-mn's run and the summary; True when both sides agree."""
    print("== fmip-mn: %d mobile nodes (RSA-1024 CGAs in 2003::/64) on af_packet over the "
          "TAP" % n, flush=True)
    gw, js = ctx["gw"], os.path.join(ctx["tmp"], "fmip-mn.json")
    before = L.settle(gw.tel)
    r = L.run_mn(mn, ctx["ifname"], "fmip_mn_demo_%d" % os.getpid(), [
        "-n", str(n), "-j", js, "-q", "--set", "run.progress=0",
        "--set", "gateway.trust_anchor=" + ctx["anchor"],
        "--set", "provision.at1_percent=50", "--set", "handover.count=2",
        "--set", "attack.forged_fbu=1", "--set", "attack.replayed_fbu=1",
        "--set", "attack.unknown_fbu=1", "--set", "handover.fback_timeout_ms=2000",
        "--set", "data.per_handover=1", "--set", "data.reverse_per_handover=1"])
    after = L.settle(gw.tel)
    if r.returncode != 0 or not os.path.exists(js):
        print("fmip-mn failed:\n" + r.stderr[-2000:])
        return False
    rep = L.load(js)
    d = {k: after[k] - before.get(k, 0) for k in after if isinstance(after[k], int)}
    summary(rep, d, gw.tel.cmd("/fmipgw/keys")["/fmipgw/keys"], after)
    bad = L.compare(before, after, L.expected(rep))
    for k, want, got in bad:
        print("  MISMATCH %s: fmip-mn implies %d, the gateway counted %d" % (k, want, got))
    return not bad and rep["outcomes"]["prov_ok"] == n


def main():
    gw_bin, fmipctl, mn, mkcred = sys.argv[1:5]
    n = int(sys.argv[5]) if len(sys.argv) > 5 else 16
    print("== credentials (conf/make-credentials.sh, prefix 2003::/64); fmipgw --no-huge -l 0-1 "
          "--vdev net_tap0, its TAP in a network namespace", flush=True)
    with L.gateway_in_netns(gw_bin, fmipctl, mkcred, "demo", lambda cred: L.gw_conf(
            CONFIG, cred, rate=1000)) as ctx:
        ok = demo(ctx, mn, n)
        rc = ctx["gw"].stop()
        print("  fmipgw stopped with SIGTERM: exit status %s" % rc)
        ok = ok and rc == 0
    print("== demo %s" % ("OK: the gateway's counters match what fmip-mn sent" if ok else
                          "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
